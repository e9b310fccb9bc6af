/** StatefulSet spec of stateful stores running in the cluster, with encrypted volume claims. */
import * as k8s from "@pulumi/kubernetes";
import { STORAGE_VOLUME } from "../../contract/emptyDirs";
import { ServiceDefinition, TierPlacement } from "../../contract/catalog";
import { podTemplate } from "./container";
import { selectorLabels, WorkloadContext } from "./labels";
import { spreadConstraints } from "./spread";

/**
 * @param headlessServiceName the governing headless Service (stable DNS per pod)
 * @param storageClassName the encrypted StorageClass every volume claim uses
 */
export function statefulSetSpec(
    ctx: WorkloadContext,
    service: ServiceDefinition,
    placement: TierPlacement,
    headlessServiceName: string,
    storageClassName: string,
): k8s.types.input.apps.v1.StatefulSetSpec {
    return {
        serviceName: headlessServiceName,
        replicas: placement.replicas,
        podManagementPolicy: "OrderedReady",
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
        selector: { matchLabels: selectorLabels(ctx, service.name) },
        template: podTemplate(ctx, service, { gpu: false, ...(placement.replicas > 1 ? { spread: spreadConstraints(ctx, service.name, { hardAcrossNodes: true }) } : {}) }),
        ...(service.storage
            ? {
                  volumeClaimTemplates: [
                      {
                          metadata: { name: STORAGE_VOLUME, labels: selectorLabels(ctx, service.name) },
                          spec: {
                              accessModes: ["ReadWriteOnce"],
                              storageClassName,
                              resources: { requests: { storage: service.storage.size } },
                          },
                      },
                  ],
              }
            : {}),
    };
}
