package io.orbita.delivery.mime;

import java.time.Instant;

/**
 * Everything one outgoing message is made of, already rendered.
 *
 * @param listUnsubscribeUrl https one-click unsubscribe URL, required for marketing mail
 * @param listUnsubscribeMailto mailto address for unsubscribing, required for marketing mail
 * @param listId {@code List-Id} value without brackets (e.g. {@code news.7.orbita.example}), may be null
 * @param feedbackId {@code Feedback-ID} value (campaign:kind:workspace:orbita), may be null
 */
public record Letter(MailAddress from, MailAddress to, MailAddress replyTo, String subject, String html, String text,
                     boolean marketing, String listUnsubscribeUrl, String listUnsubscribeMailto, String listId,
                     String feedbackId, String messageId, Instant date) {
}
