package io.aksheadroom.support;

import io.smallrye.config.WithDefault;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;

/**
 * A {@code @ConfigMapping} interface answering its own {@code @WithDefault} values, some of them overridden: the
 * service's configuration as it ships, for plain unit tests of the adapters that take it.
 */
public final class ConfigDefaults {

    private ConfigDefaults() {
    }

    public static <T> T of(Class<T> mapping) {
        return of(mapping, Map.of());
    }

    /** @param overrides values by method name, of the method's return type */
    public static <T> T of(Class<T> mapping, Map<String, Object> overrides) {
        return mapping.cast(Proxy.newProxyInstance(mapping.getClassLoader(), new Class<?>[] {mapping},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> mapping.getSimpleName() + " defaults " + overrides;
                        };
                    }
                    if (overrides.containsKey(method.getName())) {
                        return overrides.get(method.getName());
                    }
                    return parse(method);
                }));
    }

    private static Object parse(Method method) {
        WithDefault value = method.getAnnotation(WithDefault.class);
        if (value == null) {
            throw new IllegalArgumentException(method + " has no default: give it an override");
        }
        String text = value.value();
        Class<?> type = method.getReturnType();
        if (type == String.class) {
            return text;
        } else if (type == int.class) {
            return Integer.parseInt(text);
        } else if (type == long.class) {
            return Long.parseLong(text);
        } else if (type == short.class) {
            return Short.parseShort(text);
        } else if (type == double.class) {
            return Double.parseDouble(text);
        } else if (type == boolean.class) {
            return Boolean.parseBoolean(text);
        } else if (type == Duration.class) {
            return Duration.parse(text);
        }
        throw new IllegalArgumentException("no conversion of " + text + " to " + type + " for " + method);
    }
}
