package io.orbita.content.internal;

import io.orbita.platform.FieldProblem;
import io.orbita.platform.ValidationException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import liqp.RenderTransformer;
import liqp.Template;
import liqp.TemplateContext;
import liqp.TemplateParser;
import liqp.antlr.CharStreamWithLocation;
import liqp.exceptions.ExceededMaxIterationsException;
import liqp.exceptions.LiquidException;
import liqp.filters.Filter;
import liqp.nodes.LNode;
import liqp.org.antlr.v4.runtime.CharStreams;
import liqp.tags.Include;

/**
 * liqp set up for letters: limits always on, {@code include}/{@code render} resolving only the workspace's snippets,
 * the Russian filters, and unknown-variable tracking. One {@link Parts} per prepared letter: liqp templates and the
 * per-render state here are confined to one thread.
 */
public final class LiquidEngine {

    /** The limits every render runs under; a letter that breaks one is a broken letter, not a slow one. */
    public record Limits(int maxIterations, int maxOutputChars, long maxRenderMillis, int maxIncludeDepth, int maxSourceChars) {
        public static final Limits DEFAULT = new Limits(20_000, 2_000_000, 2_000, 5, 500_000);
    }

    /** A render limit was hit; carries the limit's name for the problem code. */
    public static final class LimitExceeded extends RuntimeException {
        final String limit;

        LimitExceeded(String limit, String message) {
            super(message);
            this.limit = limit;
        }
    }

    private LiquidEngine() {
    }

    /** The parsed parts of one letter and the state of the render in progress. Not thread-safe by design. */
    public static final class Parts {
        final Limits limits;
        final Map<String, String> snippets;
        final TemplateParser htmlParser;
        final TemplateParser plainParser;
        final Set<String> misses = new java.util.LinkedHashSet<>();
        long deadline;
        int depth;

        Parts(Limits limits, Map<String, String> snippets) {
            this.limits = limits;
            this.snippets = snippets;
            this.htmlParser = parser(true);
            this.plainParser = parser(false);
        }

        private TemplateParser parser(boolean html) {
            TemplateParser.Builder b = new TemplateParser.Builder()
                    .withMaxIterations(limits.maxIterations())
                    .withMaxSizeRenderedString(limits.maxOutputChars())
                    .withMaxTemplateSizeBytes(limits.maxSourceChars() * 4L)
                    .withRenderTransformer(new Deadline(this))
                    .withDefaultTimeZone(RussianFilters.MOSCOW)
                    .withTag(new SnippetTag("include", this, html))
                    .withTag(new SnippetTag("render", this, html));
            for (Filter f : RussianFilters.all()) {
                b.withFilter(f);
            }
            return b.build();
        }

        /** Parses one part; syntax errors name the part and the line. */
        Template parse(String part, String source, boolean html) {
            if (source == null) {
                return null;
            }
            if (source.length() > limits.maxSourceChars()) {
                throw new ValidationException(FieldProblem.of(part, "liquid.tooLarge",
                        part + " is longer than " + limits.maxSourceChars() + " characters", limits.maxSourceChars()));
            }
            try {
                return html ? htmlParser.parse(LiquidSyntax.escapeOutputs(source)) : plainParser.parse(source);
            } catch (LiquidException e) {
                throw syntaxError(part, e);
            } catch (RuntimeException e) {
                throw new ValidationException(FieldProblem.of(part, "liquid.syntax", part + ": " + e.getMessage(), 0, e.getMessage()));
            }
        }

        /** Renders one part against the data; unknown variables are collected in {@link #misses}. */
        String render(String part, Template template, Map<String, Object> root, boolean html) {
            if (template == null) {
                return null;
            }
            deadline = System.nanoTime() + limits.maxRenderMillis() * 1_000_000L;
            depth = 0;
            TemplateContext context = new TemplateContext(template, html ? htmlParser : plainParser, root) {
                @Override
                public boolean containsKey(String key) {
                    boolean known = super.containsKey(key);
                    if (!known) {
                        misses.add(key);
                    }
                    return known;
                }
            };
            try {
                return template.renderUnguarded(context);
            } catch (RuntimeException e) {
                throw renderError(part, e);
            }
        }

    }

    public static Parts parts(Limits limits, Map<String, String> snippets) {
        return new Parts(limits, snippets);
    }

    static ValidationException syntaxError(String part, LiquidException e) {
        String message = e.getMessage() == null ? "syntax error" : e.getMessage().replaceFirst("^parser error ", "");
        return new ValidationException(FieldProblem.of(part, "liquid.syntax",
                part + ", line " + e.line + ": " + message, e.line, message));
    }

    static ValidationException renderError(String part, RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LimitExceeded l) {
                return new ValidationException(FieldProblem.of(part, "render.limit." + l.limit, part + ": " + l.getMessage()));
            }
            if (t instanceof ExceededMaxIterationsException) {
                return new ValidationException(FieldProblem.of(part, "render.limit.iterations", part + ": " + t.getMessage()));
            }
            if (t instanceof LiquidException le) {
                return syntaxError(part, le);
            }
            if (t.getMessage() != null && t.getMessage().contains("rendered string exceeds")) {
                return new ValidationException(FieldProblem.of(part, "render.limit.size", part + ": " + t.getMessage()));
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (message.contains("exceeds") || message.contains("max size")) {
            return new ValidationException(FieldProblem.of(part, "render.limit.size", part + ": " + message));
        }
        return new ValidationException(FieldProblem.of(part, "liquid.render", part + ": " + message, message));
    }

    /** Checks the clock on every appended piece of output, so a runaway loop stops in the thread that runs it. */
    private static final class Deadline implements RenderTransformer {
        private static final RenderTransformer DEFAULT = TemplateParser.DEFAULT.getRenderTransformer();
        private final Parts parts;

        Deadline(Parts parts) {
            this.parts = parts;
        }

        @Override
        public ObjectAppender.Controller newObjectAppender(TemplateContext context, int estimatedNumberOfAppends) {
            ObjectAppender.Controller inner = DEFAULT.newObjectAppender(context, estimatedNumberOfAppends);
            return new ObjectAppender.Controller() {
                @Override
                public Object getResult() {
                    return inner.getResult();
                }

                @Override
                public void append(Object obj) {
                    if (System.nanoTime() > parts.deadline) {
                        throw new LimitExceeded("time", "rendering took longer than " + parts.limits.maxRenderMillis() + " ms");
                    }
                    inner.append(obj);
                }
            };
        }

        @Override
        public Object transformObject(TemplateContext context, Object obj) {
            return DEFAULT.transformObject(context, obj);
        }
    }

    /** {@code include} and {@code render}: the workspace's snippets by name, never a file, nested at most a few levels. */
    private static final class SnippetTag extends Include {
        private final Parts parts;
        private final boolean html;

        SnippetTag(String name, Parts parts, boolean html) {
            super(name);
            this.parts = parts;
            this.html = html;
        }

        @Override
        public Object render(TemplateContext context, LNode... nodes) {
            if (++parts.depth > parts.limits.maxIncludeDepth()) {
                parts.depth--;
                throw new LimitExceeded("includeDepth", "snippets are nested deeper than " + parts.limits.maxIncludeDepth() + " levels");
            }
            try {
                return super.render(context, nodes);
            } finally {
                parts.depth--;
            }
        }

        @Override
        protected CharStreamWithLocation detectSource(TemplateContext context, String given) throws IOException {
            String name = snippetName(given);
            String source = parts.snippets.get(name);
            if (source == null) {
                parts.misses.add("snippet '" + name + "'");
                source = "";
            }
            return new CharStreamWithLocation(CharStreams.fromString(html ? LiquidSyntax.escapeOutputs(source) : source, "snippet:" + name));
        }
    }

    /**
     * liqp hands a tag it does not know natively ({@code render}) its raw parameter text, quotes and all:
     * {@code 'name', x: 1} means snippet {@code name}.
     */
    static String snippetName(String given) {
        String s = given == null ? "" : given.strip();
        if (!s.isEmpty() && (s.charAt(0) == '\'' || s.charAt(0) == '"')) {
            int end = s.indexOf(s.charAt(0), 1);
            return end < 0 ? s.substring(1) : s.substring(1, end);
        }
        return s.split("[\\s,]", 2)[0];
    }

    static List<String> warnings(Set<String> misses) {
        List<String> out = new ArrayList<>();
        for (String m : misses) {
            out.add(m.startsWith("snippet '") ? "unknown " + m : "unknown variable " + m);
        }
        return out;
    }
}
