package io.orbita.campaigns.web;

import io.orbita.campaigns.Campaign;
import io.orbita.campaigns.CampaignInput;
import io.orbita.campaigns.CampaignReports;
import io.orbita.campaigns.Campaigns;
import io.orbita.campaigns.Checklist;
import io.orbita.content.Templates;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.Problems;
import io.orbita.platform.ValidationException;
import io.orbita.platform.web.FormErrors;
import io.orbita.segments.Segments;
import io.orbita.tracking.Engagement;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Campaign list, the form, the campaign page (checklist, actions, live progress) and its report with the chart. */
@Controller
class CampaignPages {

    /** Campaign times are entered and shown in Moscow time, as elsewhere in the UI. */
    static final ZoneId ZONE = ZoneId.of("Europe/Moscow");

    private final Campaigns campaigns;
    private final CampaignReports reports;
    private final Checklist checklist;
    private final Segments segments;
    private final Templates templates;
    private final FormErrors formErrors;
    private final Clock clock;

    CampaignPages(Campaigns campaigns, CampaignReports reports, Checklist checklist, Segments segments, Templates templates,
                  FormErrors formErrors, Clock clock) {
        this.formErrors = formErrors;
        this.campaigns = campaigns;
        this.reports = reports;
        this.checklist = checklist;
        this.segments = segments;
        this.templates = templates;
        this.clock = clock;
    }

    @GetMapping("/campaigns")
    @Access.Read
    String list(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(required = false) String cursor, Model model) {
        model.addAttribute("page", campaigns.list(me.workspace(), cursor, 50));
        return "campaigns/campaigns";
    }

    @GetMapping("/campaigns/new")
    @Access.Market
    String create(@AuthenticationPrincipal OrbitaPrincipal me, Model model) {
        return form(me, null, new Form("", "news", List.of(), List.of(), null, "", "", "", ""), AbTestForm.none(),
                List.of(), model, null);
    }

    @PostMapping("/campaigns/new")
    @Access.Market
    String save(@AuthenticationPrincipal OrbitaPrincipal me, Form f, AbTestForm ab, Model model, Locale locale) {
        return submit(me, null, f, ab, model, locale, in -> "redirect:/campaigns/" + campaigns.create(me, in).id());
    }

    @GetMapping("/campaigns/{id}/edit")
    @Access.Market
    String edit(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, Model model) {
        Campaign c = campaigns.get(me.workspace(), id);
        return form(me, c, new Form(c.name(), c.kind(), c.segmentIds(), c.excludeSegmentIds(), c.templateId(),
                n(c.fromName()), n(c.fromEmail()), n(c.subject()), n(c.preheader())), AbTestForm.of(c.abTest()), List.of(),
                model, null);
    }

    @PostMapping("/campaigns/{id}/edit")
    @Access.Market
    String update(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, Form f, AbTestForm ab, Model model,
                  Locale locale) {
        Campaign c = campaigns.get(me.workspace(), id);
        return submit(me, c, f, ab, model, locale, in -> {
            campaigns.update(me, id, in);
            return "redirect:/campaigns/" + id;
        });
    }

    /**
     * Creates ({@code c} null) or updates through {@code save}; a refused form comes back as typed with its problems. A
     * bad A/B section is shown with whatever else is wrong, so one round trip shows every problem.
     */
    private String submit(OrbitaPrincipal me, Campaign c, Form f, AbTestForm ab, Model model, Locale locale,
                          java.util.function.Function<CampaignInput, String> save) {
        Problems abProblems = new Problems();
        CampaignInput in = f.input(ab.input(abProblems));
        if (!abProblems.isEmpty()) {
            List<FieldProblem> all = new ArrayList<>(campaigns.problems(me.workspace(), f.input(null), c == null));
            all.addAll(abProblems.list());
            return form(me, c, f, ab, all, model, locale);
        }
        try {
            return save.apply(in);
        } catch (ValidationException e) {
            return form(me, c, f, ab, e.problems(), model, locale);
        }
    }

    @GetMapping("/campaigns/{id}")
    @Access.Read
    String show(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id,
                @RequestParam(defaultValue = "false") boolean machine, Model model) {
        Campaign c = campaigns.get(me.workspace(), id);
        model.addAttribute("campaign", c);
        model.addAttribute("template", templates.get(me.workspace(), c.templateId()));
        model.addAttribute("checklist", c.editable() ? checklist.check(me.workspace(), id) : List.of());
        model.addAttribute("machine", machine);
        if (c.startedAt() == null) {
            model.addAttribute("progress", reports.progress(me.workspace(), id));
        } else {
            CampaignReports.Report report = reports.cachedReport(me.workspace(), id, machine);
            model.addAttribute("report", report);
            model.addAttribute("progress", report.progress());
            model.addAttribute("chart", Chart.of(reports.cachedHourly(me.workspace(), id, clock, machine)));
            model.addAttribute("variants", reports.cachedVariants(me.workspace(), id, machine));
            model.addAttribute("asOf", reports.figuresAsOf(me.workspace(), id, machine));
        }
        return "campaigns/campaign";
    }

    @GetMapping("/campaigns/compare")
    @Access.Read
    String compare(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(required = false) List<Long> ids, Model model) {
        model.addAttribute("rows", ids == null || ids.isEmpty() ? List.of()
                : reports.compare(me.workspace(), ids.size() > CampaignReports.MAX_COMPARED
                        ? ids.subList(0, CampaignReports.MAX_COMPARED) : ids, false));
        return "campaigns/compare";
    }

    /** The progress block alone, polled by htmx while the campaign sends. */
    @GetMapping("/campaigns/{id}/progress")
    @Access.Read
    String progress(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, Model model) {
        model.addAttribute("campaign", campaigns.get(me.workspace(), id));
        model.addAttribute("progress", reports.cachedProgress(me.workspace(), id));
        return "campaigns/campaign :: progress";
    }

    @PostMapping("/campaigns/{id}/send")
    @Access.Market
    String send(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id,
                @RequestParam(defaultValue = "") String at, @RequestParam(defaultValue = "") String window) {
        campaigns.get(me.workspace(), id);
        Instant when = null;
        if (!at.isBlank()) {
            try {
                when = LocalDateTime.parse(at).atZone(ZONE).toInstant();
            } catch (DateTimeParseException e) {
                throw new ValidationException(FieldProblem.of("at", "campaign.at", "at must be a date and time"));
            }
        }
        io.orbita.campaigns.LocalWindow w;
        try {
            w = io.orbita.campaigns.LocalWindow.parse(window).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new ValidationException(FieldProblem.of("window", "campaign.window", "window: " + e.getMessage()));
        }
        campaigns.schedule(me, id, when, w);
        return "redirect:/campaigns/" + id;
    }

    @PostMapping("/campaigns/{id}/pause")
    @Access.Market
    String pause(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        campaigns.pause(me, id);
        return "redirect:/campaigns/" + id;
    }

    @PostMapping("/campaigns/{id}/resume")
    @Access.Market
    String resume(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        campaigns.resume(me, id);
        return "redirect:/campaigns/" + id;
    }

    @PostMapping("/campaigns/{id}/cancel")
    @Access.Market
    String cancel(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        campaigns.cancel(me, id);
        return "redirect:/campaigns/" + id;
    }

    @PostMapping("/campaigns/{id}/test")
    @Access.Market
    String test(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        checklist.sendTest(me, id);
        return "redirect:/campaigns/" + id + "?tested=true";
    }

    @PostMapping("/campaigns/{id}/delete")
    @Access.Market
    String delete(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        campaigns.delete(me, id);
        return "redirect:/campaigns";
    }

    /** The form's fields, bound from the request. */
    public record Form(String name, String kind, List<Long> segmentIds, List<Long> excludeSegmentIds, Long templateId,
                String fromName, String fromEmail, String subject, String preheader) {

        /** @param abTest the A/B section's test: empty removes it, null leaves it out (only to look for problems) */
        CampaignInput input(Optional<CampaignInput.AbInput> abTest) {
            return new CampaignInput(name == null ? "" : name, kind == null ? "" : kind,
                    segmentIds == null ? List.of() : segmentIds, excludeSegmentIds == null ? List.of() : excludeSegmentIds,
                    templateId, opt(fromName), opt(fromEmail), opt(subject), opt(preheader), abTest);
        }

        public boolean has(List<Long> ids, Long id) {
            return ids != null && ids.contains(id);
        }

        private static Optional<String> opt(String s) {
            return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
        }
    }

    private String form(OrbitaPrincipal me, Campaign c, Form f, AbTestForm ab, List<FieldProblem> problems, Model model,
                        Locale locale) {
        model.addAttribute("campaign", c);
        model.addAttribute("form", f);
        model.addAttribute("ab", ab);
        model.addAttribute("errors", problems.isEmpty() ? Map.of() : formErrors.resolve(problems, locale));
        model.addAttribute("kinds", Campaigns.KINDS);
        model.addAttribute("abKinds", CampaignInput.AB_KINDS);
        model.addAttribute("abMetrics", AbTestForm.METRICS);
        List<io.orbita.segments.Segment> audiences = new ArrayList<>(segments.list(me.workspace(), "rule", null, 500).items());
        audiences.addAll(segments.list(me.workspace(), "list", null, 500).items());
        model.addAttribute("audiences", audiences);
        model.addAttribute("templates", templates.list(me.workspace(), null, null, null, null, Templates.MAX_PAGE).items());
        return "campaigns/form";
    }

    private static String n(String s) {
        return s == null ? "" : s;
    }

    /**
     * Opens and clicks per hour as two polylines of an inline SVG (600 × 160): x is the hour since sending started,
     * y the hits scaled to the busiest hour.
     */
    public record Chart(String opens, String clicks, long max, int hours, Instant from) {

        static Chart of(List<Engagement.Bucket> buckets) {
            if (buckets.isEmpty()) {
                return new Chart("", "", 0, 0, null);
            }
            Instant from = buckets.getFirst().hour();
            TreeMap<Long, long[]> byHour = new TreeMap<>();
            long max = 1;
            for (Engagement.Bucket b : buckets) {
                long h = java.time.Duration.between(from, b.hour()).toHours();
                long[] v = byHour.computeIfAbsent(h, k -> new long[2]);
                v[b.kind().equals("click") ? 1 : 0] += b.hits();
                max = Math.max(max, v[b.kind().equals("click") ? 1 : 0]);
            }
            int hours = (int) (byHour.lastKey() + 1);
            StringBuilder opens = new StringBuilder();
            StringBuilder clicks = new StringBuilder();
            for (int h = 0; h <= hours; h++) {
                long[] v = byHour.getOrDefault((long) h, new long[2]);
                double x = hours == 0 ? 0 : 600.0 * h / hours;
                opens.append(String.format(java.util.Locale.ROOT, "%.1f,%.1f ", x, 150 - 140.0 * v[0] / max));
                clicks.append(String.format(java.util.Locale.ROOT, "%.1f,%.1f ", x, 150 - 140.0 * v[1] / max));
            }
            return new Chart(opens.toString().strip(), clicks.toString().strip(), max, hours, from);
        }
    }
}
