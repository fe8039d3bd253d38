package io.orbita.content.internal;

import io.orbita.audience.Contact;
import io.orbita.audience.Contacts;
import io.orbita.content.LetterData;
import io.orbita.content.LetterSource;
import io.orbita.content.RenderedLetter;
import io.orbita.platform.WorkspaceId;
import java.util.Map;
import org.springframework.stereotype.Service;

/** Renders a letter for the editor and the API: for a real contact of the workspace, or with sample data. */
@Service
public class Previews {

    /** Links in a preview go nowhere real: a preview must not unsubscribe anyone. */
    public static final LetterData.LetterLinks PREVIEW_LINKS = new LetterData.LetterLinks(
            "https://orbita.invalid/unsubscribe", "https://orbita.invalid/preferences", "https://orbita.invalid/web-version");

    private final LiquidLetters letters;
    private final Contacts contacts;

    Previews(LiquidLetters letters, Contacts contacts) {
        this.letters = letters;
        this.contacts = contacts;
    }

    /** A saved template (its current version or the one named). */
    public RenderedLetter template(WorkspaceId ws, long templateId, Integer version, Long contactId, Map<String, Object> data) {
        LetterSource source = new LetterSource(templateId, version, null, null, null, null);
        return render(ws, letters.prepare(ws, source), contactId, data);
    }

    /** Unsaved source, as the editor has it right now. */
    public RenderedLetter source(WorkspaceId ws, LiquidLetters.Source source, Long contactId, Map<String, Object> data) {
        return render(ws, letters.compile(ws, source), contactId, data);
    }

    private RenderedLetter render(WorkspaceId ws, LiquidLetters.Compiled letter, Long contactId, Map<String, Object> data) {
        Map<String, Object> extra = data == null ? Map.of() : data;
        if (contactId == null) {
            return letters.renderSample(letter, new LetterData(null, null, extra, PREVIEW_LINKS));
        }
        Contact c = contacts.get(ws, contactId);
        return letters.render(letter, new LetterData(c.id(), c.email(), extra, PREVIEW_LINKS));
    }
}
