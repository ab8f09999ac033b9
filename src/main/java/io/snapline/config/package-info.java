/**
 * Configuration records and their start-up checks: every {@link io.snapline.config.ConfigurationCheck}
 * bean joins the one report of {@link io.snapline.config.StartupValidation}. No AWS SDK here.
 */
package io.snapline.config;
