/**
 * Boot script of the tier-0 host (Amazon Linux 2023): mounts the encrypted data volume as
 * Docker's storage, generates the service passwords on the host (they never enter the Pulumi
 * state), fetches the rendered compose file from S3 and keeps `docker compose up` converged
 * with it every five minutes, so a `pulumi up` that changes the file reaches the host.
 */
import { applyTimerUnits } from "../compose/hosts";

export interface HostUserDataArgs {
    /** Bucket and key of the rendered compose file. */
    bucket: string;
    key: string;
    region: string;
    /** Secret files the compose file reads (see composeFile.ts SERVICE_SECRETS). */
    secrets: string[];
    /** Directory the secrets are written to. */
    secretsDir: string;
    /** docker compose plugin version to install. */
    composeVersion?: string;
}

export const COMPOSE_PLUGIN_VERSION = "v2.40.3";

export function hostUserData(args: HostUserDataArgs): string {
    const composeVersion = args.composeVersion ?? COMPOSE_PLUGIN_VERSION;
    return `#!/bin/bash
set -euo pipefail
exec > >(tee /var/log/ai-platform-boot.log) 2>&1

dnf install -y docker
mkdir -p /usr/local/lib/docker/cli-plugins
curl -fsSL "https://github.com/docker/compose/releases/download/${composeVersion}/docker-compose-linux-$(uname -m)" \\
  -o /usr/local/lib/docker/cli-plugins/docker-compose
chmod 0755 /usr/local/lib/docker/cli-plugins/docker-compose

# The data volume is the disk that does not hold the root file system.
ROOT_DISK="/dev/$(lsblk -no PKNAME "$(findmnt -no SOURCE /)")"
DATA_DISK="$(lsblk -dpno NAME,TYPE | awk '$2 == "disk" {print $1}' | grep -v "^$ROOT_DISK$" | head -n1)"
if ! blkid "$DATA_DISK" >/dev/null 2>&1; then mkfs.xfs "$DATA_DISK"; fi
mkdir -p /var/lib/docker
grep -q "/var/lib/docker" /etc/fstab || echo "UUID=$(blkid -s UUID -o value "$DATA_DISK") /var/lib/docker xfs defaults,nofail 0 2" >> /etc/fstab
mount -a
systemctl enable --now docker

install -d -m 0700 ${args.secretsDir}
for name in ${args.secrets.join(" ")}; do
  [ -s "${args.secretsDir}/$name" ] || (umask 077; openssl rand -base64 32 | tr -d '\\n' > "${args.secretsDir}/$name")
done

cat > /usr/local/bin/ai-platform-apply <<'APPLY'
#!/bin/bash
set -euo pipefail
aws s3 cp --region ${args.region} "s3://${args.bucket}/${args.key}" /opt/ai-platform/docker-compose.new.yaml --only-show-errors
if ! cmp -s /opt/ai-platform/docker-compose.new.yaml /opt/ai-platform/docker-compose.yaml; then
  mv /opt/ai-platform/docker-compose.new.yaml /opt/ai-platform/docker-compose.yaml
fi
docker compose -f /opt/ai-platform/docker-compose.yaml up -d --remove-orphans
APPLY
chmod 0755 /usr/local/bin/ai-platform-apply

${applyTimerUnits("Converge docker compose with the rendered file in S3", "the compose file", "30s")}`;
}

