package io.syncline.testsupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A business's related records, drawn at random: HubSpot companies, contacts (each with its primary
 * company) and deals (each with its contact and company), stored in a {@link HubSpotStub}'s portal;
 * Stripe customers and their subscriptions (each item a line). {@link #deliveries} gives the
 * webhook events that announce them, as the providers send them (HubSpot's signed array of thin
 * events, Stripe's signed event envelopes), shuffled so that most children come before their
 * parents, with redeliveries of the same event and second events about the same record.
 */
public final class RelatedGraph {

    public static final String HUBSPOT_SECRET = "hubspot-client-secret-related";
    public static final String STRIPE_SECRET = "whsec_related0000000000000000000000";
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Company(String id, String name) {
    }

    public record Contact(String id, String email, String company) {
    }

    public record Deal(String id, String name, String amount, String contact, String company) {
    }

    public record Payer(String id, String email, String name) {
    }

    /** A subscription item: its price, the price's nickname, and its amount in yen (quantity 1). */
    public record Line(String price, String description, int amount) {
    }

    public record Subscription(String id, String customer, List<Line> lines) {
    }

    public final List<Company> companies = new ArrayList<>();
    public final List<Contact> contacts = new ArrayList<>();
    public final List<Deal> deals = new ArrayList<>();
    public final List<Payer> payers = new ArrayList<>();
    public final List<Subscription> subscriptions = new ArrayList<>();
    private final List<Delivery> deliveries = new ArrayList<>();
    private final Random random;
    private final AtomicLong eventIds = new AtomicLong(100_000);

    /** One delivery, where it falls in the stream (0 to 1), the record it announces and that record's parents. */
    private record Delivery(double at, WebhookSender.Event event, String record, List<String> parents) {
    }

    private RelatedGraph(Random random) {
        this.random = random;
    }

    /**
     * Draws the records, stores HubSpot's in {@code hubspot} and makes their deliveries: each
     * level's events fall in a band of the stream that starts before its parents' band.
     */
    public static RelatedGraph generate(Random random, HubSpotStub hubspot, int companies, int contacts, int deals,
            int payers, int subscriptions) {
        RelatedGraph graph = new RelatedGraph(random);
        for (int i = 0; i < companies; i++) {
            String name = String.format("Company %04d", i);
            String id = hubspot.addCompany(Map.of("name", "  " + name + " ", "domain", "Company" + i + ".example.com"));
            graph.companies.add(new Company(id, name));
            graph.hubspot("/webhooks/hubspot/companies", "company", id, List.of(), 0.4, 1.0);
        }
        for (int i = 0; i < contacts; i++) {
            String email = String.format("contact%04d@example.com", i);
            String company = graph.pick(graph.companies).id();
            String id = hubspot.add(Map.of("email", email, "firstname", "First" + i, "lastname", "Last" + i));
            hubspot.associate(id, company, HubSpotAssociationStore.PRIMARY);
            graph.contacts.add(new Contact(id, email, company));
            graph.hubspot("/webhooks/hubspot/contacts", "contact", id, List.of("company:" + company), 0.2, 0.8);
        }
        for (int i = 0; i < deals; i++) {
            String name = String.format("Deal %04d", i);
            String amount = (100 + random.nextInt(9_900)) + "." + String.format("%02d", random.nextInt(100));
            String contact = graph.pick(graph.contacts).id();
            String company = graph.pick(graph.companies).id();
            String id = hubspot.addDeal(Map.of("dealname", name, "amount", amount, "dealstage", "closedwon",
                    "pipeline", "default"), contact, company);
            graph.deals.add(new Deal(id, name, amount, contact, company));
            graph.hubspot("/webhooks/hubspot/deals", "deal", id, List.of("contact:" + contact, "company:" + company), 0.0, 0.6);
        }
        for (int i = 0; i < payers; i++) {
            Payer payer = new Payer(stripeId("cus_", random), String.format("payer%04d@example.com", i),
                    String.format("Payer %04d", i));
            graph.payers.add(payer);
            Map<String, Object> customer = new LinkedHashMap<>();
            customer.put("id", payer.id());
            customer.put("object", "customer");
            customer.put("email", payer.email());
            customer.put("name", payer.name());
            customer.put("currency", "jpy");
            customer.put("livemode", false);
            graph.stripe("/webhooks/stripe/customers", "customer.created", customer, List.of(), 0.3, 1.0);
        }
        for (int i = 0; i < subscriptions; i++) {
            String id = stripeId("sub_", random);
            String customer = graph.pick(graph.payers).id();
            List<Line> lines = new ArrayList<>();
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                lines.add(new Line(stripeId("price_", random), "Plan " + (char) ('A' + random.nextInt(5)),
                        (1 + random.nextInt(50)) * 100));
            }
            graph.subscriptions.add(new Subscription(id, customer, lines));
            graph.stripe("/webhooks/stripe/subscriptions", "customer.subscription.created",
                    subscription(id, customer, lines), List.of("customer:" + customer), 0.0, 0.7);
        }
        return graph;
    }

    /** Every delivery in stream order: redeliveries and second events included. */
    public List<WebhookSender.Event> deliveries() {
        return deliveries.stream().sorted(Comparator.comparingDouble(Delivery::at)).map(Delivery::event).toList();
    }

    /** How many deliveries announce an event not delivered before (redeliveries left out). */
    public long events() {
        return deliveries.stream().filter(delivery -> !delivery.event().id().endsWith("-again")).count();
    }

    /** How many records' first delivery comes before the first delivery of one of their parents. */
    public long childrenBeforeParents() {
        List<Delivery> ordered = deliveries.stream().sorted(Comparator.comparingDouble(Delivery::at)).toList();
        Map<String, Integer> first = new java.util.HashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            first.putIfAbsent(ordered.get(i).record(), i);
        }
        long early = 0;
        for (int i = 0; i < ordered.size(); i++) {
            Delivery delivery = ordered.get(i);
            int at = i;
            if (first.get(delivery.record()) == at && delivery.parents().stream().anyMatch(parent -> first.get(parent) > at)) {
                early++;
            }
        }
        return early;
    }

    public int records() {
        return companies.size() + contacts.size() + deals.size() + payers.size() + subscriptions.size();
    }

    private <T> T pick(List<T> among) {
        return among.get(random.nextInt(among.size()));
    }

    /**
     * HubSpot's creation event of the record in the band {@code from}..{@code to}; one in ten is
     * delivered again later (same event id, as HubSpot retries), one in twenty has a second event
     * (a property change, a new event id) about the same record.
     */
    private void hubspot(String path, String object, String id, List<String> parents, double from, double to) {
        long eventId = eventIds.incrementAndGet();
        String record = object + ":" + id;
        String body = "[" + hubspotEvent(eventId, object + ".creation", id) + "]";
        add(path, "hubspot-" + eventId, body, record, parents, from, to, RelatedGraph::hubspotSignature);
        if (random.nextInt(20) == 0) {
            long second = eventIds.incrementAndGet();
            add(path, "hubspot-" + second, "[" + hubspotEvent(second, object + ".propertyChange", id) + "]", record, parents,
                    from, to, RelatedGraph::hubspotSignature);
        }
    }

    private void stripe(String path, String type, Map<String, Object> object, List<String> parents, double from, double to) {
        String body = StripeStub.event(type, object);
        add(path, "stripe-" + object.get("id"), body, object.get("object") + ":" + object.get("id"), parents, from, to,
                RelatedGraph::stripeSignature);
    }

    private void add(String path, String id, String body, String record, List<String> parents, double from, double to,
            java.util.function.BiFunction<URI, String, Map<String, String>> signer) {
        double at = from + random.nextDouble() * (to - from);
        deliveries.add(new Delivery(at, new WebhookSender.Event(id, body, path, uri -> signer.apply(uri, body)), record, parents));
        if (random.nextInt(10) == 0) {
            deliveries.add(new Delivery(at + random.nextDouble() * (1.0 - at),
                    new WebhookSender.Event(id + "-again", body, path, uri -> signer.apply(uri, body)), record, parents));
        }
    }

    private static String hubspotEvent(long eventId, String type, String objectId) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", eventId);
        event.put("subscriptionId", 234567);
        event.put("portalId", 12345678);
        event.put("appId", 987654);
        event.put("occurredAt", System.currentTimeMillis());
        event.put("subscriptionType", type);
        event.put("attemptNumber", 0);
        event.put("objectId", Long.parseLong(objectId));
        event.put("changeFlag", type.endsWith(".creation") ? "CREATED" : "UPDATED");
        event.put("changeSource", "CRM_UI");
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HubSpot's v3 signature headers of a POST of {@code body} to {@code uri}, signed now. */
    private static Map<String, String> hubspotSignature(URI uri, String body) {
        String timestamp = Long.toString(System.currentTimeMillis());
        return Map.of("X-HubSpot-Signature-v3", HubSpotStub.signatureV3(HUBSPOT_SECRET, "POST", uri.toString(), body, timestamp),
                "X-HubSpot-Request-Timestamp", timestamp);
    }

    /** Stripe's {@code Stripe-Signature} of {@code body}, signed now. */
    private static Map<String, String> stripeSignature(URI uri, String body) {
        return Map.of("Stripe-Signature", StripeStub.signature(STRIPE_SECRET, System.currentTimeMillis() / 1000, body));
    }

    /** A subscription as Stripe gives it at an event's {@code data.object}: its customer, its items with their prices. */
    private static Map<String, Object> subscription(String id, String customer, List<Line> lines) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (Line line : lines) {
            Map<String, Object> price = new LinkedHashMap<>();
            price.put("id", line.price());
            price.put("object", "price");
            price.put("currency", "jpy");
            price.put("nickname", line.description());
            price.put("unit_amount", line.amount());
            price.put("unit_amount_decimal", Integer.toString(line.amount()));
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", "si_" + line.price().substring("price_".length()));
            item.put("object", "subscription_item");
            item.put("price", price);
            item.put("quantity", 1);
            item.put("subscription", id);
            items.add(item);
        }
        Map<String, Object> subscription = new LinkedHashMap<>();
        subscription.put("id", id);
        subscription.put("object", "subscription");
        subscription.put("customer", customer);
        subscription.put("currency", "jpy");
        subscription.put("status", "active");
        subscription.put("items", Map.of("object", "list", "data", items, "has_more", false,
                "url", "/v1/subscription_items?subscription=" + id));
        subscription.put("livemode", false);
        return subscription;
    }

    /** An id as Stripe makes them: a prefix and 14 letters and digits. */
    private static String stripeId(String prefix, Random random) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder id = new StringBuilder(prefix);
        for (int i = 0; i < 14; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }
}
