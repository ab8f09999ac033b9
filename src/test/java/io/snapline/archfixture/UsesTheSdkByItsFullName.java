package io.snapline.archfixture;

/**
 * A fixture for {@code ArchitectureTest}: it reaches the AWS SDK through a fully qualified name and
 * no import, which a source-level import check would miss and the bytecode rule must catch.
 */
public final class UsesTheSdkByItsFullName {

    private UsesTheSdkByItsFullName() {
    }

    public static Object bytes() {
        return software.amazon.awssdk.core.SdkBytes.fromUtf8String("x");
    }
}
