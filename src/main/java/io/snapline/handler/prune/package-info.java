/** Retention pruning of snapshots and exports: pure planners, capped execution, the prune command and plan. */
package io.snapline.handler.prune;
