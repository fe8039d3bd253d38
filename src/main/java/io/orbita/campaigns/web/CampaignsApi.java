package io.orbita.campaigns.web;

import io.orbita.campaigns.Campaign;
import io.orbita.campaigns.CampaignInput;
import io.orbita.campaigns.CampaignReports;
import io.orbita.campaigns.Campaigns;
import io.orbita.campaigns.LocalWindow;
import io.orbita.platform.Cursor;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.JsonInput;
import io.orbita.platform.Page;
import io.orbita.platform.Problems;
import io.orbita.platform.ValidationException;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@Tag(name = "Campaigns", description = """
        One-off mailings of a template to segments and static lists. States: draft → scheduled → sending ⇄ paused →
        sent, or cancelled. The recipient list is fixed when sending starts; contacts without marketing consent, with a
        suppressed address, who dropped the campaign's kind in the preference centre, or over the weekly frequency cap
        are skipped and counted by reason (service campaigns skip only suppressed addresses).""")
class CampaignsApi {

    private final Campaigns campaigns;
    private final CampaignReports reports;

    CampaignsApi(Campaigns campaigns, CampaignReports reports) {
        this.campaigns = campaigns;
        this.reports = reports;
    }

    @GetMapping("/api/v1/campaigns")
    @Access.Read
    @Operation(summary = "List campaigns", description = "Newest first, keyset-paginated (limit up to 200).")
    Page<Campaign> list(@AuthenticationPrincipal OrbitaPrincipal me, @RequestParam(required = false) String cursor,
                        @RequestParam(required = false) Integer limit) {
        return campaigns.list(me.workspace(), cursor, Cursor.limit(limit, Campaigns.MAX_PAGE));
    }

    @GetMapping("/api/v1/campaigns/{id}")
    @Access.Read
    @Operation(summary = "Get a campaign")
    Campaign get(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return campaigns.get(me.workspace(), id);
    }

    @PostMapping("/api/v1/campaigns")
    @Access.Market
    @Operation(summary = "Create a draft campaign", description = """
            Fields: name, kind (news, content, event, promo, service), segmentIds (segments and static lists to send to,
            at least one), excludeSegmentIds, templateId, fromName and fromEmail (the sender for recipients without a
            personal manager; without them the campaign's author), subject and preheader (Liquid, replacing the
            template's; optional), abTest (optional A/B test: {kind: subject (default), from_name, template or
            send_time; variants (or subjects): 2 to 5 values of that kind: Liquid subjects, sender names, template ids,
            local times HH:MM; share: percent of the recipients who get the variants, default 20; metric: open_rate,
            click_rate or revenue (attributed revenue per delivered letter, decided with Welch's t-test), default
            open_rate; waitMinutes: how long after the test letters (for send_time: after the last variant's time)
            the winner is chosen, default 240; defaultVariant: what goes when no variant wins significantly, default
            1}).""")
    ResponseEntity<Campaign> create(@AuthenticationPrincipal OrbitaPrincipal me, @RequestBody JsonNode body) {
        return ResponseEntity.status(HttpStatus.CREATED).body(campaigns.create(me, CampaignInput.fromJson(body)));
    }

    @PatchMapping("/api/v1/campaigns/{id}")
    @Access.Market
    @Operation(summary = "Change a draft or scheduled campaign", description = "The fields of create; absent ones stay, null clears optional ones.")
    Campaign update(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, @RequestBody JsonNode body) {
        return campaigns.update(me, id, CampaignInput.fromJson(body));
    }

    @DeleteMapping("/api/v1/campaigns/{id}")
    @Access.Market
    @Operation(summary = "Delete a campaign that never started sending", description = "A started campaign is kept for its report (409).")
    ResponseEntity<Void> delete(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        campaigns.delete(me, id);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/api/v1/campaigns/{id}/schedule")
    @Access.Market
    @Operation(summary = "Schedule a campaign", description = """
            Body: {"at": ISO instant or local time (read in Moscow time), "sendWindow": "10:00-12:00"}. A time in the
            past or absent means now. With sendWindow each recipient gets the letter only inside that stretch of their
            own local time: the time zone is the contact's custom field time_zone (an IANA name such as
            Asia/Yekaterinburg), else its company's, else the workspace's; the workspace's quiet hours (see
            campaign-settings) are kept too. The window may wrap midnight.""")
    Campaign schedule(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id,
                      @RequestBody(required = false) JsonNode body) {
        Instant at = null;
        LocalWindow window = null;
        if (body != null && !body.isNull()) {
            Problems p = new Problems();
            JsonInput j = JsonInput.of(body, p);
            Optional<Instant> v = j.instant("at", ZoneId.of("Europe/Moscow"));
            Optional<String> w = j.text("sendWindow");
            j.rejectUnknown();
            window = window(w, "sendWindow", p);
            p.throwIfAny();
            at = v == null ? null : v.orElse(null);
        }
        return campaigns.schedule(me, id, at, window);
    }

    static LocalWindow window(Optional<String> raw, String field, Problems p) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            return LocalWindow.parse(raw.get()).orElse(null);
        } catch (IllegalArgumentException e) {
            p.add(field, "campaign.window", field + ": " + e.getMessage());
            return null;
        }
    }

    @PostMapping("/api/v1/campaigns/{id}/send")
    @Access.Market
    @Operation(summary = "Send now", description = "Schedules the campaign for now; the worker starts it within a second.")
    Campaign send(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return campaigns.schedule(me, id, null);
    }

    @PostMapping("/api/v1/campaigns/{id}/pause")
    @Access.Market
    @Operation(summary = "Pause sending", description = "No further letters are queued; those already queued are sent. Only a sending campaign.")
    Campaign pause(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return campaigns.pause(me, id);
    }

    @PostMapping("/api/v1/campaigns/{id}/resume")
    @Access.Market
    @Operation(summary = "Resume a paused campaign", description = "Goes on with exactly the recipients not yet queued.")
    Campaign resume(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return campaigns.resume(me, id);
    }

    @PostMapping("/api/v1/campaigns/{id}/cancel")
    @Access.Market
    @Operation(summary = "Cancel a campaign", description = "Draft, scheduled, sending or paused; letters already queued are still sent.")
    Campaign cancel(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return campaigns.cancel(me, id);
    }

    @GetMapping("/api/v1/campaigns/{id}/stats")
    @Access.Read
    @Operation(summary = "Progress and report", description = """
            Live progress (pending, queued, sent, failed, skipped by reason) and the report: recipients, sent, delivered,
            hard bounces (bounced), soft bounces (failed after retries), unique and total opens, open rate = unique
            opens / delivered, unique and total clicks, click rate = unique clicks / delivered, CTOR = unique clicks /
            unique opens, unsubscribes, complaints, clicks per link, and orders and revenue attributed (orders within
            the workspace's attribution window after the contact's last click, when that click was on this campaign).
            Rates are fractions, null when their base is zero. Opens and clicks of people only unless machine=true
            (privacy proxies, link scanners). For campaigns of 50,000 recipients and more the figures come from a
            cache kept fresh in the background (at most about a minute old).""")
    CampaignReports.Report stats(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id,
                                 @RequestParam(defaultValue = "false") boolean machine) {
        return reports.cachedReport(me.workspace(), id, machine);
    }

    @GetMapping("/api/v1/campaigns/compare")
    @Access.Read
    @Operation(summary = "Compare campaigns side by side", description = """
            ids: 1 to 5 campaign ids (comma-separated or repeated). Each campaign with its report (the figures of
            /stats), in the order given; an id of no campaign of this workspace answers 404. People only unless
            machine=true.""")
    java.util.List<CampaignReports.Comparison> compare(@AuthenticationPrincipal OrbitaPrincipal me,
                                                       @RequestParam(required = false) java.util.List<Long> ids,
                                                       @RequestParam(defaultValue = "false") boolean machine) {
        return reports.compare(me.workspace(), ids, machine);
    }

    @GetMapping("/api/v1/campaigns/{id}/variants")
    @Access.Read
    @Operation(summary = "A/B variants", description = """
            Per variant (kind: subject, from_name, template or send_time; subject holds the variant's value): recipients,
            delivered, unique opens and clicks, open and click rate with their 95% Wilson confidence intervals,
            attributed orders and revenue, revenue per delivered letter with its 95% t-interval. The campaign's abTest
            tells the winner once decided (the best variant against each other at 95%: two-proportion z-test for
            open_rate and click_rate, Welch's t-test for revenue; significant=false means no significant winner and the
            default went). Empty without an A/B test.""")
    java.util.List<CampaignReports.Variant> variants(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id,
                                                     @RequestParam(defaultValue = "false") boolean machine) {
        return reports.variants(me.workspace(), id, machine);
    }

    @GetMapping("/api/v1/campaigns/{id}/report.csv")
    @Access.Read
    @Operation(summary = "The report as CSV", description = "One metric per line: metric,value.")
    ResponseEntity<byte[]> csv(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id,
                               @RequestParam(defaultValue = "false") boolean machine) {
        byte[] body = reports.csv(me.workspace(), id, machine).getBytes(StandardCharsets.UTF_8);
        return ResponseEntity.ok().contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"campaign-" + id + ".csv\"").body(body);
    }

    @GetMapping("/api/v1/campaign-settings")
    @Access.Read
    @Operation(summary = "Campaign settings", description = """
            weeklyCap: marketing campaign letters per contact in 7 days (0 = no cap); attributionDays; quietHours: no
            marketing campaign letter goes out inside this stretch of the recipient's local time ("21:00-09:00"), null:
            none.""")
    Campaigns.Settings settings(@AuthenticationPrincipal OrbitaPrincipal me) {
        return campaigns.settings(me.workspace());
    }

    @PutMapping("/api/v1/campaign-settings")
    @Access.Administer
    @Operation(summary = "Change campaign settings", description = """
            Admins only (a workspace-wide policy, like the settings page). weeklyCap 0 to 100, attributionDays 1 to 90,
            quietHours "HH:MM-HH:MM" (null or "" removes them); absent fields stay.""")
    Campaigns.Settings changeSettings(@AuthenticationPrincipal OrbitaPrincipal me, @RequestBody JsonNode body) {
        Problems p = new Problems();
        JsonInput j = JsonInput.of(body, p);
        Optional<Long> cap = j.id("weeklyCap");
        Optional<Long> days = j.id("attributionDays");
        Optional<String> quiet = j.text("quietHours");
        j.rejectUnknown();
        LocalWindow q = window(quiet, "quietHours", p);
        p.throwIfAny();
        return campaigns.changeSettings(me, small(cap, "weeklyCap"), small(days, "attributionDays"),
                quiet == null ? null : Optional.ofNullable(q));
    }

    private static Integer small(Optional<Long> v, String field) {
        if (v == null) {
            return null;
        }
        if (v.isEmpty() || v.get() > 1000) {
            throw new ValidationException(FieldProblem.of(field, "json.type", field + " must be a small whole number"));
        }
        return v.get().intValue();
    }
}
