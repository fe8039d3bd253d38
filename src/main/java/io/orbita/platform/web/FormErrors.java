package io.orbita.platform.web;

import io.orbita.platform.FieldProblem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * Field problems as a form shows them: field name to a message in the user's language. The problem's code is the
 * message key; its English text is the fallback, so a code without a translation still says something useful.
 */
@Component
public class FormErrors {

    private final MessageSource messages;

    FormErrors(MessageSource messages) {
        this.messages = messages;
    }

    public Map<String, String> resolve(List<FieldProblem> problems, Locale locale) {
        Map<String, String> out = new LinkedHashMap<>();
        for (FieldProblem p : problems) {
            String text = messages.getMessage(p.code(), p.args().toArray(), p.message(), locale);
            out.merge(p.field() == null || p.field().isEmpty() ? "_form" : p.field(), text, (a, b) -> a + " " + b);
        }
        return out;
    }

    public String text(String key, Locale locale, Object... args) {
        return messages.getMessage(key, args, key, locale);
    }
}
