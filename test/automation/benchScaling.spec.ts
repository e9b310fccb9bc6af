import * as assert from "assert";
import { validateCatalog } from "../../config/catalog";
import { sutazaiCatalog } from "../../config/catalog/sutazai";
import { fitLine, syntheticCatalog } from "../../automation/benchScaling";

describe("benchmark: offline growth", () => {
    it("makes a valid synthetic catalog: the SutazAI services and N renamed copies of its frontend", () => {
        const catalog = syntheticCatalog(3);
        validateCatalog(catalog);
        assert.strictEqual(catalog.services.length, sutazaiCatalog.services.length + 3);
        assert.deepStrictEqual(catalog.services.slice(-3).map((s) => s.name), ["synthetic-0", "synthetic-1", "synthetic-2"]);
        assert.deepStrictEqual(catalog.services.at(-1)!.tiers, sutazaiCatalog.services.find((s) => s.name === "frontend")!.tiers);
    });

    it("splits figures into a fixed part and a part per resource (least squares)", () => {
        assert.deepStrictEqual(fitLine([{ x: 100, y: 700 }, { x: 1100, y: 2700 }, { x: 5100, y: 10700 }]), { fixed: 500, perResource: 2 });
        const noisy = fitLine([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }, { x: 3, y: 7.5 }]);
        assert.ok(Math.abs(noisy.perResource - 2.15) < 1e-9 && Math.abs(noisy.fixed - 0.9) < 1e-9, JSON.stringify(noisy));
    });
});
