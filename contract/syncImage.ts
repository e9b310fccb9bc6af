/**
 * The image the cross-region sync runs in: the stock Node.js image (the service itself is
 * mounted from a ConfigMap, so no registry of ours is needed). Pinned to the Node.js release the
 * project runs on (scripts/node-env.sh). Air-gapped clusters name their local registry's copy
 * with the stack config key `syncImage` (config/config.ts). Imports nothing, so the config layer
 * can take its default from here.
 */
export const SYNC_DEFAULT_IMAGE = "node:22.23.5-alpine";
