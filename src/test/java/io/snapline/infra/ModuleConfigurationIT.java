package io.snapline.infra;

import io.micronaut.context.ApplicationContext;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.snapline.config.CopyPolicy;
import io.snapline.config.RetentionPolicy;
import io.snapline.config.SnapshotSchedule;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration modules/source-account hands the container (MICRONAUT_APPLICATION_JSON, as the
 * module renders it for examples/tokyo-dr plus a retention policy with its own tag: keys sorted, unset
 * keys left out; the module's terraform tests assert this rendering) binds to the service's policies
 * with the values the Terraform gave, and passes the start-up checks. A child JVM, because only the
 * environment carries MICRONAUT_APPLICATION_JSON.
 */
class ModuleConfigurationIT {

    static final String JSON = "{\"snapline\":{"
            + "\"copies\":{\"tokyo-dr\":{\"copy-tags\":true,\"destination-kms-key-id\":"
            + "\"arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555\","
            + "\"destination-region\":\"us-east-1\",\"keep-days\":1,\"kinds\":[\"scheduled\"],\"scope\":\"both\","
            + "\"sources\":[\"orders-db\"]}},"
            + "\"retention\":{\"tagged\":{\"keep-last\":7,\"management-tag\":{\"key\":\"team:managed\"},"
            + "\"name-prefix\":\"nightly\",\"scope\":\"cluster\",\"sources\":[\"billing-*\"]},"
            + "\"tokyo-dr\":{\"keep-days\":50,\"name-prefix\":\"snapline-tokyo\",\"scope\":\"instance\","
            + "\"sources\":[\"orders-db\"],\"time-zone\":\"Asia/Tokyo\"}},"
            + "\"snapshots\":{\"tokyo-dr\":{\"name-prefix\":\"snapline-tokyo\",\"schedule\":\"cron(0 2,14 * * ? *)\","
            + "\"scope\":\"instance\",\"sources\":[\"orders-db\"],\"time-zone\":\"Asia/Tokyo\"}}}}";

    @Test
    void theTokyoExamplesSchedule_copyAndRetention_bindAsTheModuleGaveThem() throws Exception {
        String out = ChildJvm.run(Main.class, Map.of("MICRONAUT_APPLICATION_JSON", JSON));
        assertThat(out)
                .contains("schedule tokyo-dr: cron(0 2,14 * * ? *) Asia/Tokyo snapline-tokyo [orders-db] instance")
                .contains("copy tokyo-dr: us-east-1 keep-days=1 kinds=[scheduled]")
                .contains("retention tokyo-dr: [orders-db] instance snapline-tokyo keep-days=50 keep-last=null "
                        + "Asia/Tokyo snapline:managed=true")
                .contains("retention tagged: [billing-*] cluster nightly keep-days=null keep-last=7 UTC team:managed=true");
    }

    /** Runs in the child JVM: starts the context (the start-up checks included) and prints what bound. */
    public static final class Main {
        public static void main(String[] args) {
            try (ApplicationContext ctx = ApplicationContext.run()) {
                SnapshotSchedule s = ctx.getBean(SnapshotSchedule.class, Qualifiers.byName("tokyo-dr"));
                System.out.println("schedule tokyo-dr: " + s.schedule() + " " + s.timeZone() + " " + s.namePrefix() + " "
                        + s.sources() + " " + s.scope());
                CopyPolicy c = ctx.getBean(CopyPolicy.class, Qualifiers.byName("tokyo-dr"));
                System.out.println("copy tokyo-dr: " + c.destinationRegion() + " keep-days=" + c.keepDays()
                        + " kinds=" + c.kinds());
                for (String name : new String[] {"tokyo-dr", "tagged"}) {
                    RetentionPolicy r = ctx.getBean(RetentionPolicy.class, Qualifiers.byName(name));
                    System.out.println("retention " + name + ": " + r.sources() + " " + r.scope() + " " + r.namePrefix()
                            + " keep-days=" + r.keepDays() + " keep-last=" + r.keepLast() + " " + r.timeZone() + " "
                            + r.tagKey() + "=" + r.tagValue());
                }
            }
            System.exit(0); // see SecretPlaceholderIT.Main
        }
    }
}
