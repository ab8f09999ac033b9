package io.snapline.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;

/** Stands in for the export pipeline's own properties on {@code snapline.exports}, to prove two views coexist. */
@EachProperty("snapline.exports")
public record OtherExportView(@Parameter String name, @Nullable String bucket, @Nullable String kmsKey) {
}
