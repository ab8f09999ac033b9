package io.snapline.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.context.env.Environment;
import io.micronaut.core.convert.ConversionService;
import jakarta.inject.Singleton;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The values Micronaut cannot convert. When a configured value does not convert to its key's type
 * ({@code snapline.queue.visibility-timeout=banana}, {@code snapline.queue.pollers=two}), Micronaut
 * binds the key's default as if nothing had been set, and the service would start on a value
 * nobody chose. This check reads the raw value of every typed key of every configuration record
 * (and of the few keys read one by one) and names each one that does not convert, with the form it
 * takes.
 */
@Singleton
public class ConfigurationValuesCheck implements ConfigurationCheck {

    /** The configuration records whose keys are checked; each carries its prefix in its annotation. */
    static final List<Class<? extends Record>> RECORDS = List.of(SnaplineProperties.class, QueueProperties.class,
            AwsProperties.class, LedgerProperties.class, PruneProperties.class, ExportPolicy.class,
            ExportRetentionProperties.class, RetentionPolicy.class, ConsoleProperties.class);

    /** Keys read one by one (with {@code @Value} or {@code @Requires}), with their types. */
    static final Map<String, Class<?>> SINGLE_KEYS = singleKeys();

    private static final Set<String> BOOLEANS = Set.of("true", "false", "yes", "no", "on", "off");

    private final Environment environment;
    private final ConversionService conversion;

    public ConfigurationValuesCheck(Environment environment, ConversionService conversion) {
        this.environment = environment;
        this.conversion = conversion;
    }

    private static Map<String, Class<?>> singleKeys() {
        Map<String, Class<?>> keys = new LinkedHashMap<>();
        keys.put("snapline.local.sqs-port", Integer.class);
        keys.put("snapline.consumer.enabled", Boolean.class);
        return keys;
    }

    @Override
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        for (Class<? extends Record> record : RECORDS) {
            EachProperty each = record.getAnnotation(EachProperty.class);
            if (each != null) {
                for (String name : new TreeSet<>(environment.getPropertyEntries(each.value()))) {
                    check(record, each.value() + "." + name + ".", out);
                }
            } else {
                check(record, record.getAnnotation(ConfigurationProperties.class).value() + ".", out);
            }
        }
        SINGLE_KEYS.forEach((key, type) -> checkValue(key, type, out));
        return out;
    }

    private void check(Class<?> record, String prefix, List<String> out) {
        for (RecordComponent c : record.getRecordComponents()) {
            if (c.isAnnotationPresent(Parameter.class)) {
                continue; // the map key of an @EachProperty, not a setting
            }
            Class<?> type = valueType(c);
            if (type.isRecord()) {
                ConfigurationProperties nested = type.getAnnotation(ConfigurationProperties.class);
                check(type, prefix + (nested != null ? nested.value() : kebab(c.getName())) + ".", out);
            } else {
                checkValue(prefix + kebab(c.getName()), type, out);
            }
        }
    }

    private void checkValue(String key, Class<?> type, List<String> out) {
        Optional<String> form = form(type);
        if (form.isEmpty()) {
            return; // strings and lists of strings take any value
        }
        Optional<String> raw = environment.getProperty(key, String.class);
        if (raw.isEmpty()) {
            return;
        }
        String value = raw.get();
        boolean converts = type == Boolean.class
                ? BOOLEANS.contains(value.trim().toLowerCase(Locale.ROOT))
                : conversion.convert(value, type).isPresent();
        if (!converts) {
            out.add(key + ": '" + value + "' is not " + form.get());
        }
    }

    /** What a value of the type looks like, for the problem's fix; empty for types that take any text. */
    private static Optional<String> form(Class<?> type) {
        if (type == Duration.class) {
            return Optional.of("a duration; write a number and a unit, e.g. 300s, 5m, 1h, 30d or PT5M");
        }
        if (type == Integer.class || type == Long.class) {
            return Optional.of("a whole number; write digits only, e.g. 5");
        }
        if (type == Double.class) {
            return Optional.of("a number; write e.g. 5 or 2.5");
        }
        if (type == Boolean.class) {
            return Optional.of("true or false");
        }
        return Optional.empty();
    }

    private static Class<?> valueType(RecordComponent c) {
        Class<?> raw = c.getType();
        if (raw == Optional.class && c.getGenericType() instanceof ParameterizedType p) {
            Type arg = p.getActualTypeArguments()[0];
            if (arg instanceof Class<?> k) {
                raw = k;
            }
        }
        if (raw.isPrimitive()) {
            return raw == int.class ? Integer.class : raw == long.class ? Long.class
                    : raw == double.class ? Double.class : raw == boolean.class ? Boolean.class : raw;
        }
        return raw;
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
