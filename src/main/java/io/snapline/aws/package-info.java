/** The AWS edge: the client factory, the SDK gateway adapters, and the dry-run decorator. */
package io.snapline.aws;
