/** Where Snapline's meters go beyond {@code /prometheus}: the CloudWatch export of the deployment. Imports no AWS SDK. */
package io.snapline.metrics;
