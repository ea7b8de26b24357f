package dev.resilience.aop;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInvocation;

import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.BeanResolver;
import org.springframework.expression.ConstructorResolver;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.EvaluationException;
import org.springframework.expression.IndexAccessor;
import org.springframework.expression.MethodResolver;
import org.springframework.expression.OperatorOverloader;
import org.springframework.expression.ParseException;
import org.springframework.expression.PropertyAccessor;
import org.springframework.expression.TypeComparator;
import org.springframework.expression.TypeConverter;
import org.springframework.expression.TypeLocator;
import org.springframework.expression.TypedValue;
import org.springframework.expression.spel.SpelCompilerMode;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.SpelParserConfiguration;
import org.springframework.expression.spel.ast.CompoundExpression;
import org.springframework.expression.spel.ast.FunctionReference;
import org.springframework.expression.spel.ast.PropertyOrFieldReference;
import org.springframework.expression.spel.ast.VariableReference;
import org.springframework.expression.spel.standard.SpelExpression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.StandardEvaluationContext;

/**
 * The key of a {@code @RateLimiter(key = …)}: a SpEL expression over the method's parameters, parsed once per method
 * when its chain is built and evaluated per call over the invocation's arguments.
 *
 * <p>Its variables are the parameters by name ({@code #customerId}, when the class was compiled with
 * {@code -parameters}) and by position ({@code #p0}, {@code #a0}); there is no root object. A syntax error, a variable
 * that names no parameter, a function call ({@code #f()}) and a bare property ({@code customerId}, which would read
 * the absent root object) fail the start. Assignments are refused.
 *
 * <p>The expression runs in SpEL's mixed mode: interpreted for its first hundred calls, then compiled to bytecode when
 * SpEL can compile it (a string joined with a number, for one, it cannot), and back to interpreted should the compiled
 * form fail (a parameter declared {@code Object} that holds another type). A call
 * allocates one small context object that hands the arguments to the expression; everything else (accessors,
 * resolvers, converters) is shared.
 */
final class KeyExpression implements Function<MethodInvocation, Object> {

    private static final ParameterNameDiscoverer PARAMETER_NAMES = new DefaultParameterNameDiscoverer();

    private final String source;
    private final String method;
    private final SpelExpression expression;
    private final Map<String, Integer> variables;
    private final EvaluationContext shared;

    private KeyExpression(String source, String method, SpelExpression expression, Map<String, Integer> variables) {
        this.source = source;
        this.method = method;
        this.expression = expression;
        this.variables = variables;
        this.shared = new StandardEvaluationContext();
    }

    /**
     * @throws IllegalArgumentException when {@code source} is not a valid key of {@code method}, saying why
     */
    static KeyExpression parse(String source, Method method) {
        SpelExpressionParser parser = new SpelExpressionParser(
                new SpelParserConfiguration(SpelCompilerMode.MIXED, method.getDeclaringClass().getClassLoader()));
        SpelExpression expression;
        try {
            expression = parser.parseRaw(source);
        }
        catch (ParseException ex) {
            throw new IllegalArgumentException("the key '" + source + "' of @RateLimiter is not a valid SpEL "
                    + "expression: " + ex.getSimpleMessage(), ex);
        }
        Map<String, Integer> variables = variables(method);
        check(expression.getAST(), source, variables, true);
        return new KeyExpression(source, Signatures.method(method.getDeclaringClass(), method), expression,
                Map.copyOf(variables));
    }

    /** The key of one call; {@code null} when the expression says so. */
    @Override
    public Object apply(MethodInvocation invocation) {
        try {
            return expression.getValue(new Arguments(shared, variables, invocation.getArguments()));
        }
        catch (EvaluationException ex) {
            throw new IllegalArgumentException("The rate limiter key '" + source + "' of " + method
                    + " could not be evaluated: " + ex.getMessage(), ex);
        }
    }

    @Override
    public String toString() {
        return source;
    }

    /** {@code #name} (when the names are known), {@code #p0} and {@code #a0} for each parameter. */
    private static Map<String, Integer> variables(Method method) {
        Map<String, Integer> variables = new HashMap<>();
        String[] names = PARAMETER_NAMES.getParameterNames(method);
        for (int i = 0; i < method.getParameterCount(); i++) {
            variables.put("p" + i, i);
            variables.put("a" + i, i);
        }
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                variables.put(names[i], i);
            }
        }
        return variables;
    }

    private static void check(SpelNode node, String source, Map<String, Integer> variables, boolean top) {
        if (node instanceof VariableReference) {
            String name = node.toStringAST().substring(1);
            if (!name.equals("this") && !name.equals("root") && !variables.containsKey(name)) {
                throw new IllegalArgumentException("the key '" + source + "' of @RateLimiter names #" + name
                        + ", which is no parameter of the method; it can use " + described(variables.keySet())
                        + (variables.keySet().stream().allMatch(KeyExpression::positional) && !variables.isEmpty()
                                ? " (parameter names are only known when the class is compiled with -parameters)"
                                : ""));
            }
        }
        else if (node instanceof FunctionReference) {
            throw new IllegalArgumentException("the key '" + source + "' of @RateLimiter calls the function "
                    + node.toStringAST() + "; a key can only use the method's parameters, as variables ("
                    + described(variables.keySet()) + ")");
        }
        else if (top && (node instanceof PropertyOrFieldReference || (node instanceof CompoundExpression
                && node.getChildCount() > 0 && node.getChild(0) instanceof PropertyOrFieldReference))) {
            SpelNode property = (node instanceof CompoundExpression) ? node.getChild(0) : node;
            throw new IllegalArgumentException("the key '" + source + "' of @RateLimiter reads '"
                    + property.toStringAST() + "' of a root object, and there is none: a parameter is a variable, "
                    + "written with '#' (#" + property.toStringAST() + ")");
        }
        for (int i = 0; i < node.getChildCount(); i++) {
            check(node.getChild(i), source, variables, false);
        }
    }

    private static boolean positional(String name) {
        return name.matches("[pa]\\d+");
    }

    private static String described(java.util.Set<String> names) {
        if (names.isEmpty()) {
            return "no variable (the method has no parameters)";
        }
        StringJoiner joiner = new StringJoiner(", ");
        names.stream().sorted((a, b) -> {
            boolean pa = positional(a);
            boolean pb = positional(b);
            return (pa != pb) ? (pa ? 1 : -1) : a.compareTo(b);
        }).forEach(name -> joiner.add("#" + name));
        return joiner.toString();
    }

    /** The context of one evaluation: the call's arguments as variables, everything else from the shared context. */
    private static final class Arguments implements EvaluationContext {

        private final EvaluationContext shared;
        private final Map<String, Integer> variables;
        private final Object[] arguments;

        Arguments(EvaluationContext shared, Map<String, Integer> variables, Object[] arguments) {
            this.shared = shared;
            this.variables = variables;
            this.arguments = Objects.requireNonNull(arguments, "arguments");
        }

        @Override
        public Object lookupVariable(String name) {
            Integer index = variables.get(name);
            return (index != null && index < arguments.length) ? arguments[index] : null;
        }

        @Override
        public void setVariable(String name, Object value) {
            throw new UnsupportedOperationException("a rate limiter key cannot set variables");
        }

        @Override
        public TypedValue assignVariable(String name, Supplier<TypedValue> valueSupplier) {
            throw new UnsupportedOperationException("a rate limiter key cannot assign variables");
        }

        @Override
        public boolean isAssignmentEnabled() {
            return false;
        }

        @Override
        public TypedValue getRootObject() {
            return TypedValue.NULL;
        }

        @Override
        public List<PropertyAccessor> getPropertyAccessors() {
            return shared.getPropertyAccessors();
        }

        @Override
        public List<IndexAccessor> getIndexAccessors() {
            return shared.getIndexAccessors();
        }

        @Override
        public List<ConstructorResolver> getConstructorResolvers() {
            return shared.getConstructorResolvers();
        }

        @Override
        public List<MethodResolver> getMethodResolvers() {
            return shared.getMethodResolvers();
        }

        @Override
        public BeanResolver getBeanResolver() {
            return shared.getBeanResolver();
        }

        @Override
        public TypeLocator getTypeLocator() {
            return shared.getTypeLocator();
        }

        @Override
        public TypeConverter getTypeConverter() {
            return shared.getTypeConverter();
        }

        @Override
        public TypeComparator getTypeComparator() {
            return shared.getTypeComparator();
        }

        @Override
        public OperatorOverloader getOperatorOverloader() {
            return shared.getOperatorOverloader();
        }
    }
}
