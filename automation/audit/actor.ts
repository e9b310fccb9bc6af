import * as os from "os";

/**
 * Who runs the driver: `PROMOTION_ACTOR`, else the CI user (GitHub Actions, GitLab CI, generic CI),
 * else the operating system user.
 */
export function currentActor(env: NodeJS.ProcessEnv = process.env): string {
    const explicit = env.PROMOTION_ACTOR?.trim();
    if (explicit) return explicit;
    if (env.GITHUB_ACTOR) return `github:${env.GITHUB_ACTOR}`;
    if (env.GITLAB_USER_LOGIN) return `gitlab:${env.GITLAB_USER_LOGIN}`;
    if (env.CI && env.USER) return `ci:${env.USER}`;
    try {
        return os.userInfo().username;
    } catch {
        return "unknown";
    }
}
