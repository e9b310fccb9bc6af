/**
 * What the hosts of the compose tiers (0: one host, 1: the Swarm nodes) share: their machine image
 * and the systemd timer that converges a host on the rendered file.
 */

/** Amazon Linux 2023, resolved at deploy time from the public SSM parameter. */
export const AL2023_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

/**
 * systemd units that run /usr/local/bin/ai-platform-apply at boot and every five minutes, so a
 * host converges on the rendered file in S3 whenever it changes.
 */
export function applyTimerUnits(description: string, file: string, bootDelay: string): string {
    return `cat > /etc/systemd/system/ai-platform-apply.service <<'UNIT'
[Unit]
Description=${description}
After=docker.service network-online.target
[Service]
Type=oneshot
ExecStart=/usr/local/bin/ai-platform-apply
UNIT
cat > /etc/systemd/system/ai-platform-apply.timer <<'UNIT'
[Unit]
Description=Re-apply ${file} every five minutes
[Timer]
OnBootSec=${bootDelay}
OnUnitActiveSec=5min
[Install]
WantedBy=timers.target
UNIT
systemctl daemon-reload
systemctl enable --now ai-platform-apply.timer
`;
}
