package io.orbita.activity.web;

import io.orbita.activity.EventInput;
import io.orbita.activity.Events;
import io.orbita.activity.SiteKeys;
import io.orbita.audience.Contacts;
import io.orbita.platform.Bulk;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.NotFoundException;
import io.orbita.platform.ValidationException;
import io.orbita.platform.WorkspaceId;
import io.orbita.platform.web.PublicEndpoint;
import io.orbita.workspace.Access;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where {@code /t.js} on the client's website sends page and product views, cart updates and identify calls. Public by
 * design (the site key is in the page), so it only records the tracker's own event types for its workspace. Bodies come
 * as text/plain from {@code navigator.sendBeacon}, which needs no CORS preflight.
 */
@RestController
@Hidden
class TrackerEndpoint {

    static final Set<String> TRACKER_TYPES = Set.of("page_viewed", "product_viewed", "content_viewed", "cart_updated",
            "checkout_started");
    static final int MAX_EVENTS = 50;

    private final SiteKeys siteKeys;
    private final Events events;
    private final Contacts contacts;
    private final JsonMapper json;
    private final TrackerRateLimit rateLimit;

    TrackerEndpoint(SiteKeys siteKeys, Events events, Contacts contacts, JsonMapper json, TrackerRateLimit rateLimit) {
        this.rateLimit = rateLimit;
        this.siteKeys = siteKeys;
        this.events = events;
        this.contacts = contacts;
        this.json = json;
    }

    @PostMapping(path = "/t/{siteKey}/e", consumes = {"text/plain", "application/json"})
    @PublicEndpoint
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void collect(@PathVariable String siteKey, @RequestBody String body, HttpServletRequest request, HttpServletResponse response) {
        allowCors(request, response);
        if (!rateLimit.allow(siteKey, request.getRemoteAddr())) {
            throw new org.springframework.web.server.ResponseStatusException(HttpStatus.TOO_MANY_REQUESTS,
                    "too many tracker requests from this address; slow down");
        }
        WorkspaceId ws = siteKeys.resolve(siteKey, request.getHeader("Origin"))
                .orElseThrow(() -> new NotFoundException("site key", "(unknown or origin not allowed)"));
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (RuntimeException e) {
            throw new ValidationException(FieldProblem.of("", "body.notJson", "the body must be JSON"));
        }
        String visitor = root.path("visitorId").asString("");
        if (visitor.isBlank() || visitor.length() > 100) {
            throw new ValidationException(FieldProblem.of("visitorId", "event.visitor", "visitorId must be 1 to 100 characters"));
        }
        JsonNode identify = root.get("identify");
        if (identify != null && identify.hasNonNull("email")) {
            Long contact = contacts.findIdByEmail(ws, identify.get("email").asString());
            if (contact != null) {
                events.identify(ws, visitor, contact);
            }
        }
        JsonNode list = root.get("events");
        if (list == null || !list.isArray()) {
            return;
        }
        List<Bulk.Item<EventInput>> items = new ArrayList<>();
        for (JsonNode e : list) {
            if (items.size() == MAX_EVENTS) {
                break;
            }
            String type = e.path("type").asString("");
            if (!TRACKER_TYPES.contains(type)) {
                items.add(Bulk.Item.invalid(List.of(FieldProblem.of("type", "event.type", "the tracker records only site events"))));
                continue;
            }
            Map<String, Object> props = e.has("properties") && e.get("properties").isObject()
                    ? json.convertValue(e.get("properties"), Map.class) : Map.of();
            // The browser's clock is not trusted: the time of arrival is the time of the event.
            items.add(Bulk.Item.of(new EventInput(type, null, null, visitor, Instant.now(), props, null)));
        }
        events.record(ws, items, "tracker");
    }

    @RequestMapping(path = "/t/{siteKey}/e", method = RequestMethod.OPTIONS)
    @PublicEndpoint
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void preflight(HttpServletRequest request, HttpServletResponse response) {
        allowCors(request, response);
    }

    private static void allowCors(HttpServletRequest request, HttpServletResponse response) {
        String origin = request.getHeader("Origin");
        if (origin != null && origin.matches("https?://[^\\s]+")) {
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.setHeader("Vary", "Origin");
            response.setHeader("Access-Control-Allow-Methods", "POST");
            response.setHeader("Access-Control-Allow-Headers", "Content-Type");
        }
    }
}
