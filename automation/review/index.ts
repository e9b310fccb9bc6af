/** The cost-cap review report: build it from engine results, render it, write it. */
export { appendTargetChecks, buildReview, costPerTier, estimateResources, writeReview, ReviewFiles, ReviewInput, TargetChecks, TOP_DRIVERS } from "./review";
export { renderMarkdown, renderSvg } from "./render";
export * from "./types";
