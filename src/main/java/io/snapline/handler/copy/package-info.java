/** Cross-region disaster-recovery copies ({@code snapline.copies.*}): the copy step, its completion, reconcile. */
package io.snapline.handler.copy;
