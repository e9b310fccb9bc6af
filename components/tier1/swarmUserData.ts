/**
 * Boot scripts of the swarm nodes (Amazon Linux 2023). The first manager to take the init lock
 * (an SSM parameter created only if absent) runs `docker swarm init`, writes the join tokens to
 * the KMS-encrypted SecureString parameters and its address to a plain one, creates the service
 * secrets as swarm secrets and deploys the stack; the others wait for the tokens and join.
 * Every manager converges every five minutes, acting only while it is the leader: it keeps each
 * data slot's node label on one ready manager (so the services with local data keep a home
 * when the labelled manager is lost or replaced), then deploys the stack file from S3.
 */
import { DATA_SLOT_LABEL_PREFIX } from "../compose/composeFile";
import { applyTimerUnits } from "../compose/hosts";

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
    /** Data slots the services with local data are spread over (node labels ai-platform.data-slot-<n>). */
    dataSlots: number;
    /** Swarm secrets the stack reads. */
    secrets: string[];
}

/** How long a down manager keeps its data slot before another manager takes it (a reboot keeps it). */
export const DATA_SLOT_GRACE_SECONDS = 900;

/**
 * Bash function \`converge_data_slots\`, run by the leader: for every data slot 1..slots, the
 * slot's node label stays on one ready manager. A second holder or a worker loses it; a manager
 * that is down keeps it for DATA_SLOT_GRACE_SECONDS (AI_PLATFORM_SLOT_GRACE_SECONDS overrides),
 * then loses it; a slot without a ready holder goes to the ready manager holding the fewest
 * slots. A replacement manager thereby inherits the slot of the one it replaces. The data of a
 * node-local volume does not move with the label: the service starts empty on its new node and
 * is restored from the backup bucket.
 */
export function dataSlotConvergeFunction(slots: number): string {
    const prefix = DATA_SLOT_LABEL_PREFIX;
    return `converge_data_slots() {
  local grace=\${AI_PLATFORM_SLOT_GRACE_SECONDS:-${DATA_SLOT_GRACE_SECONDS}} marks=\${AI_PLATFORM_STATE_DIR:-/var/lib/ai-platform}/data-slots
  local ids slot key id role state value ready_holder down_holder best best_count count
  mkdir -p "$marks"
  ids="$(docker node ls -q)"
  for slot in $(seq 1 ${slots}); do
    key="${prefix}$slot"; ready_holder=""; down_holder=""
    for id in $ids; do
      read -r role state value <<<"$(docker node inspect "$id" --format "{{.Spec.Role}} {{.Status.State}} {{index .Spec.Labels \\"$key\\"}}")"
      [ "$value" = true ] || continue
      if [ "$role" = manager ] && [ "$state" = ready ] && [ -z "$ready_holder" ]; then ready_holder="$id"
      elif [ "$role" = manager ] && [ "$state" != ready ] && [ -z "$down_holder" ]; then down_holder="$id"
      else docker node update --label-rm "$key" "$id" >/dev/null
      fi
    done
    if [ -n "$ready_holder" ]; then
      rm -f "$marks/$slot"
      [ -z "$down_holder" ] || docker node update --label-rm "$key" "$down_holder" >/dev/null
      continue
    fi
    if [ -n "$down_holder" ]; then
      [ -f "$marks/$slot" ] || date +%s >"$marks/$slot"
      (( $(date +%s) - $(cat "$marks/$slot") >= grace )) || continue
      docker node update --label-rm "$key" "$down_holder" >/dev/null
    fi
    best=""; best_count=0
    for id in $ids; do
      read -r role state <<<"$(docker node inspect "$id" --format '{{.Spec.Role}} {{.Status.State}}')"
      [ "$role" = manager ] && [ "$state" = ready ] || continue
      count="$(docker node inspect "$id" --format '{{range $k, $v := .Spec.Labels}}{{$k}}{{println}}{{end}}' | grep -c '^${prefix.replace(/\./g, "\\.")}' || true)"
      if [ -z "$best" ] || (( count < best_count )); then best="$id"; best_count="$count"; fi
    done
    if [ -n "$best" ]; then
      docker node update --label-add "$key=true" "$best" >/dev/null
      rm -f "$marks/$slot"
      echo "data slot $slot: node $best"
    fi
  done
}`;
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
    return `${common}
if aws ssm put-parameter --region ${args.region} --name '${p.initLock}' --type String --value "$ADDRESS" >/dev/null 2>&1; then
  docker swarm init --advertise-addr "$ADDRESS"
  aws ssm put-parameter --region ${args.region} --name '${p.managerToken}' --type SecureString --overwrite --value "$(docker swarm join-token -q manager)" >/dev/null
  aws ssm put-parameter --region ${args.region} --name '${p.workerToken}' --type SecureString --overwrite --value "$(docker swarm join-token -q worker)" >/dev/null
  aws ssm put-parameter --region ${args.region} --name '${p.managerAddress}' --type String --overwrite --value "$ADDRESS" >/dev/null
  for name in ${args.secrets.join(" ")}; do
    docker secret inspect "$name" >/dev/null 2>&1 || openssl rand -base64 32 | tr -d '\\n' | docker secret create "$name" - >/dev/null
  done
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
${dataSlotConvergeFunction(args.dataSlots)}
converge_data_slots
aws s3 cp --region ${args.region} "s3://${args.bucket}/${args.key}" /opt/ai-platform/docker-stack.yaml --only-show-errors
docker stack deploy --with-registry-auth --prune -c /opt/ai-platform/docker-stack.yaml ${args.stackName}
APPLY
chmod 0755 /usr/local/bin/ai-platform-apply
${applyTimerUnits("Converge the swarm stack with the rendered file in S3", "the stack file", "60s")}`;
}
