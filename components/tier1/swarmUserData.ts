/**
 * Boot scripts of the swarm nodes (Amazon Linux 2023). The first manager to take the init lock
 * (an SSM parameter created only if absent) runs `docker swarm init`, writes the join tokens to
 * the KMS-encrypted SecureString parameters and its address to a plain one, creates the service
 * secrets as swarm secrets, labels itself as the home of the stateful services and deploys the
 * stack; the others wait for the tokens and join. Every manager converges the stack file from
 * S3 every five minutes, acting only while it is the leader.
 */
import { applyTimerUnits } from "../tier0/userData";

export interface SwarmParameterNames {
    managerToken: string;
    workerToken: string;
    managerAddress: string;
    /** Created by the first manager only (never by Pulumi): decides who initialises. */
    initLock: string;
}

export interface SwarmUserDataArgs {
    role: "manager" | "worker";
    region: string;
    parameters: SwarmParameterNames;
    /** Value the parameters hold until the first manager replaces it. */
    placeholder: string;
    /** Stack file location (managers only). */
    bucket: string;
    key: string;
    stackName: string;
    /** Stateful services pinned to the initialising manager (node label ai-platform.data.<name>). */
    statefulServices: string[];
    /** Swarm secrets the stack reads. */
    secrets: string[];
}

function waitFor(parameter: string, region: string, placeholder: string, decrypt: boolean): string {
    return `until V="$(aws ssm get-parameter --region ${region} --name '${parameter}'${decrypt ? " --with-decryption" : ""} --query Parameter.Value --output text 2>/dev/null)" && [ -n "$V" ] && [ "$V" != "${placeholder}" ]; do sleep 10; done; echo "$V"`;
}

export function swarmUserData(args: SwarmUserDataArgs): string {
    const p = args.parameters;
    const common = `#!/bin/bash
set -euo pipefail
exec > >(tee /var/log/ai-platform-boot.log) 2>&1
dnf install -y docker
systemctl enable --now docker
TOKEN_IMDS="$(curl -fsS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')"
ADDRESS="$(curl -fsS -H "X-aws-ec2-metadata-token: $TOKEN_IMDS" http://169.254.169.254/latest/meta-data/local-ipv4)"
`;
    if (args.role === "worker") {
        return `${common}
MANAGER="$(${waitFor(p.managerAddress, args.region, args.placeholder, false)})"
JOIN="$(${waitFor(p.workerToken, args.region, args.placeholder, true)})"
docker swarm join --advertise-addr "$ADDRESS" --token "$JOIN" "$MANAGER:2377"
`;
    }
    const labels = args.statefulServices.map((s) => `--label-add ai-platform.data.${s}=true`).join(" ");
    return `${common}
if aws ssm put-parameter --region ${args.region} --name '${p.initLock}' --type String --value "$ADDRESS" >/dev/null 2>&1; then
  docker swarm init --advertise-addr "$ADDRESS"
  aws ssm put-parameter --region ${args.region} --name '${p.managerToken}' --type SecureString --overwrite --value "$(docker swarm join-token -q manager)" >/dev/null
  aws ssm put-parameter --region ${args.region} --name '${p.workerToken}' --type SecureString --overwrite --value "$(docker swarm join-token -q worker)" >/dev/null
  aws ssm put-parameter --region ${args.region} --name '${p.managerAddress}' --type String --overwrite --value "$ADDRESS" >/dev/null
  for name in ${args.secrets.join(" ")}; do
    docker secret inspect "$name" >/dev/null 2>&1 || openssl rand -base64 32 | tr -d '\\n' | docker secret create "$name" - >/dev/null
  done
  docker node update ${labels} "$(docker info --format '{{.Swarm.NodeID}}')"
else
  MANAGER="$(${waitFor(p.managerAddress, args.region, args.placeholder, false)})"
  JOIN="$(${waitFor(p.managerToken, args.region, args.placeholder, true)})"
  docker swarm join --advertise-addr "$ADDRESS" --token "$JOIN" "$MANAGER:2377"
fi

mkdir -p /opt/ai-platform
cat > /usr/local/bin/ai-platform-apply <<'APPLY'
#!/bin/bash
set -euo pipefail
[ "$(docker node inspect self --format '{{.ManagerStatus.Leader}}')" = "true" ] || exit 0
aws s3 cp --region ${args.region} "s3://${args.bucket}/${args.key}" /opt/ai-platform/docker-stack.yaml --only-show-errors
docker stack deploy --with-registry-auth --prune -c /opt/ai-platform/docker-stack.yaml ${args.stackName}
APPLY
chmod 0755 /usr/local/bin/ai-platform-apply
${applyTimerUnits("Converge the swarm stack with the rendered file in S3", "the stack file", "60s")}`;
}
