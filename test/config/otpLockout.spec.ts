/** The wrong-code lockout figures: one source (automation/driver.config.json) for the driver and the sync service. */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEFAULT_OTP_LOCKOUT, loadOtpLockout } from "../../config/otpLockout";
import { findRepoRoot } from "../../automation/repoRoot";
import { loadDriverConfig } from "../../automation/driverConfig";

describe("OTP lockout figures", () => {
    it("are the driver config's, for the program as for the driver", () => {
        const root = findRepoRoot(__dirname);
        const file = JSON.parse(fs.readFileSync(path.join(root, "automation", "driver.config.json"), "utf8"));
        const { maxWrongCodes, wrongCodeWindowMinutes, lockoutMinutes } = file.otp;
        assert.deepStrictEqual(loadOtpLockout(root), { maxWrongCodes, wrongCodeWindowMinutes, lockoutMinutes });
        const driver = loadDriverConfig(root).otp;
        assert.deepStrictEqual(loadOtpLockout(root), { maxWrongCodes: driver.maxWrongCodes, wrongCodeWindowMinutes: driver.wrongCodeWindowMinutes, lockoutMinutes: driver.lockoutMinutes });
    });

    it("follow an edited driver config, and refuse figures that are not whole numbers >= 1", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "otp-lockout-"));
        try {
            fs.mkdirSync(path.join(dir, "automation"));
            const write = (otp: unknown) => fs.writeFileSync(path.join(dir, "automation", "driver.config.json"), JSON.stringify({ otp }));
            write({ maxWrongCodes: 3, lockoutMinutes: 60 });
            assert.deepStrictEqual(loadOtpLockout(dir), { maxWrongCodes: 3, wrongCodeWindowMinutes: 15, lockoutMinutes: 60 });
            write({ maxWrongCodes: 0 });
            assert.throws(() => loadOtpLockout(dir), /otp.maxWrongCodes must be a whole number >= 1/);
            fs.rmSync(path.join(dir, "automation"), { recursive: true });
            assert.deepStrictEqual(loadOtpLockout(dir), DEFAULT_OTP_LOCKOUT);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
