package dev.resilience.aop;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Short, readable type and method names for start-up error messages. */
final class Signatures {

    private Signatures() {
    }

    /** {@code OfferService.hotOffer(String)}. */
    static String method(Class<?> userClass, Method method) {
        return userClass.getSimpleName() + "." + method.getName() + "(" + parameters(method.getParameterTypes()) + ")";
    }

    static String parameters(Class<?>[] types) {
        return Arrays.stream(types).map(Class::getSimpleName).collect(Collectors.joining(", "));
    }

    static String type(Type type) {
        if (type instanceof Class<?> cls) {
            return cls.getSimpleName();
        }
        if (type instanceof ParameterizedType parameterized) {
            return type(parameterized.getRawType()) + Arrays.stream(parameterized.getActualTypeArguments())
                    .map(Signatures::type).collect(Collectors.joining(", ", "<", ">"));
        }
        if (type instanceof WildcardType wildcard) {
            if (wildcard.getLowerBounds().length > 0) {
                return "? super " + type(wildcard.getLowerBounds()[0]);
            }
            Type[] upper = wildcard.getUpperBounds();
            return (upper.length == 0 || upper[0] == Object.class) ? "?" : "? extends " + type(upper[0]);
        }
        if (type instanceof GenericArrayType array) {
            return type(array.getGenericComponentType()) + "[]";
        }
        if (type instanceof TypeVariable<?> variable) {
            return variable.getName();
        }
        return type.getTypeName();
    }
}
