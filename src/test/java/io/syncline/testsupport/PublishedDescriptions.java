package io.syncline.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The providers' whole published API descriptions the preset tests check requests against, each
 * pinned to one version: the repository, path and commit it was published at, and the SHA-256 of
 * the file. The whole files are not kept in this repository (they are the providers' own documents,
 * some not licensed for redistribution); they are read from {@code shared/contracts/<name>} in the
 * working folder or a folder above it, or from the folder {@code SYNCLINE_CONTRACTS} names.
 *
 * <p>Where the whole file is not placed, the check uses the whole file committed under
 * {@code src/test/resources/contracts/published/<name>} (gzipped as {@code <name>.gz} when large),
 * where the provider's licence lets it be redistributed, so that a clean clone checks every request
 * against the whole description; else the pinned description's excerpt kept under
 * {@code src/test/resources/contracts}: the operations Syncline calls, cut from that same version.
 * A placed or committed file of another version fails, as does
 * a folder named by {@code SYNCLINE_CONTRACTS} that lacks the file: either means someone meant the
 * whole description to be used and it is not the pinned one.
 */
public final class PublishedDescriptions {

    /**
     * Where a description was published, which version of it the tests expect, and its excerpts kept
     * here: the first, unless a check names another (a part of a large API the first leaves out).
     */
    public record Pin(String repository, String path, String commit, String sha256, List<String> excerpts) {

        Pin(String repository, String path, String commit, String sha256, String excerpt) {
            this(repository, path, commit, sha256, List.of(excerpt));
        }

        /** The first excerpt; null for a description committed whole, which needs none. */
        public String excerpt() {
            return excerpts.isEmpty() ? null : excerpts.get(0);
        }
    }

    /** The file a check reads: the whole published description, or the excerpt kept here when that is absent. */
    public record Located(Path file, boolean whole, String label) {
    }

    static final Path EXCERPTS = Path.of("src/test/resources/contracts");
    /** Where whole descriptions whose licence allows it are committed, as {@code <name>} or {@code <name>.gz}. */
    static final Path COMMITTED = EXCERPTS.resolve("published");

    static final Map<String, Pin> PINS = Map.ofEntries(
            Map.entry("hubspot/contacts.json", new Pin("github.com/HubSpot/HubSpot-public-api-spec-collection",
                    "PublicApiSpecs/CRM/Contacts/Rollouts/424/v3/contacts.json", "ab9ffa9c6f456fd8fce017f3d36fe619cbe88315",
                    "40c68680daa2eba157cf4b1e0183f8c30db349f662efb138874d6505794d85a0", "hubspot-crm-contacts-v3.json")),
            Map.entry("hubspot/associations.json", new Pin("github.com/HubSpot/HubSpot-public-api-spec-collection",
                    "PublicApiSpecs/CRM/Associations/Rollouts/130902/v4/associations.json", "89a281c11cb9b0a6c06ce886bd095b842b3eab89",
                    "894b95374cf6c9c3a256cbbcd5a4ca69ba80b8e68d50e881cdf67465526fbdca", "hubspot-crm-associations-v4.json")),
            Map.entry("hubspot/companies.json", new Pin("github.com/HubSpot/HubSpot-public-api-spec-collection",
                    "PublicApiSpecs/CRM/Companies/Rollouts/424/v3/companies.json", "17e9bdc260df7f8eb0c18cf69cdc0b49c1678720",
                    "2b5afcbb2def04de0ebd728c512b1c40db7f9a1afbac555b5e88bf196872663e", "hubspot-crm-companies-v3.json")),
            Map.entry("hubspot/deals.json", new Pin("github.com/HubSpot/HubSpot-public-api-spec-collection",
                    "PublicApiSpecs/CRM/Deals/Rollouts/424/v3/deals.json", "fea35957832844975bb105130a5b1cbb11cd2408",
                    "33480fbc4010f376f9df7b21aabb78ba880b330faa6f6d03607c01c16c19bd7b", "hubspot-crm-deals-v3.json")),
            Map.entry("xero/xero_accounting.yaml", new Pin("github.com/XeroAPI/Xero-OpenAPI",
                    "xero_accounting.yaml", "e952d0bda3628facbf7afc5990ad6a0e7e77bd1e",
                    "140f64f8e6bd2d8524b8ffdbffd08589d417efa5466ba57bfa04939a69ff6db8",
                    List.of("xero-accounting-contacts.json", "xero-accounting-invoices.json"))),
            Map.entry("intercom/api.intercom.io.yaml", new Pin("github.com/intercom/Intercom-OpenAPI",
                    "descriptions/2.11/api.intercom.io.yaml", "8889625a7b931d8649e18726e7f872ff073520fc",
                    "3d40dd2e4009882b7b4a4cf57ac03e3c47d781120ef9a966f6803982df8a6016", "intercom-contacts.json")),
            Map.entry("asana/asana_oas.yaml", new Pin("github.com/Asana/openapi", "defs/asana_oas.yaml",
                    "fc9f8dcf224efa8e06bfc955d91dd95aac7a398d",
                    "50705f125ecdacd17d30ab498709f3da54ba5a9426a1e4a05b494ff56481eb2f", "asana-tasks.json")),
            Map.entry("klaviyo/stable.json", new Pin("github.com/klaviyo/openapi", "openapi/stable.json",
                    "f0a30ba41254904dc410d84ca497df68f8872276",
                    "deb88f1dfad82fd530433555d3180fdc29633143d21e7347a9726cbea3fae2a9", List.of())),
            Map.entry("jira/swagger-v3.v3.json", new Pin("github.com/jarekbird/jira-api-mcp-wrapper", "swagger-v3.v3.json",
                    "9a9e84dacce9900b0bd4f1f095f5f1bdf3ce0168",
                    "1f0911c58a45c712ba748f6b2b71bad688a0d28283296e6d24c7b2cc0d304624", List.of())),
            Map.entry("harvest/harvest-openapi.yaml", new Pin("github.com/jolicode/harvest-openapi-generator", "generated/harvest-openapi.yaml",
                    "41687d44c6684b5f62b7470198185f695646beb8",
                    "3cc6d3e2cf24330bb6885e533d77aaaf33f6ad639bb046454104a131ac1c1b5d", List.of())),
            Map.entry("okta/management-minimal.yaml", new Pin("github.com/okta/okta-management-openapi-spec",
                    "dist/current/management-minimal.yaml", "fdda229e82940cf5af4611ad673ca6a27974e31b",
                    "291293032a071bc368f139fea20442cc72e30fe1adfcff3b9753a2b9ddfece52", List.of())),
            Map.entry("google-workspace/admin-directory_v1.json", new Pin("github.com/semihcebrail/googleapis",
                    "discovery/admin-directory_v1.json", "374bc148645a8723c25b8ecdc1cfdfd66451bf03",
                    "6cf85908332310e13744cfbdbc20ab27fadbe9801cf59321f1b87500c3497af0", List.of())),
            Map.entry("amazon-sp/ordersV0.json", new Pin("github.com/amzn/selling-partner-api-models",
                    "models/orders-api-model/ordersV0.json", "34dc93fe45f37c9a0b2e56823c808f68b4f81754",
                    "027ac6f5c97126647c6925db9be09f78c7c741cd1d8727a5367374a1846bedc5", List.of())),
            Map.entry("amazon-sp/listingsItems_2021-08-01.json", new Pin("github.com/amzn/selling-partner-api-models",
                    "models/listings-items-api-model/listingsItems_2021-08-01.json", "34dc93fe45f37c9a0b2e56823c808f68b4f81754",
                    "ddba7322661a227b6148dabadaf93da15dde6dfe0eb828c04e9f8b653b8d2557", List.of())),
            Map.entry("ebay/sell_inventory_v1_oas3.json", new Pin("github.com/hendt/ebay-api", "specs/sell_inventory_v1_oas3.json",
                    "af51f9fdd8c77ea45d40c68014d23749800566ed",
                    "bc392a1d1f7c2cf85a2fb8539c7048e56aa23a94ff22b2828769de3e18158a3d", "ebay-sell-inventory-v1.json")),
            Map.entry("ebay/sell_fulfillment_v1_oas3.json", new Pin("github.com/hendt/ebay-api", "specs/sell_fulfillment_v1_oas3.json",
                    "af51f9fdd8c77ea45d40c68014d23749800566ed",
                    "290ce8071ea0e608c6f7cc5a1fa6a33d4d0e05cdceac6d5ad4926f70e1202986", "ebay-sell-fulfillment-v1.json")),
            Map.entry("bamboohr/public.yaml", new Pin("github.com/BambooHR/bhr-api-php", "specs/public.yaml",
                    "a6a10ca26972470d31d494b9caaf7e5db9eaf945",
                    "6b328e2986455da3d91c22d0cdcf851d67df6c86b428139bc7b48defccc6fa8f", List.of())),
            Map.entry("notion/notion-openapi.json", new Pin("github.com/makenotion/notion-mcp-server", "scripts/notion-openapi.json",
                    "1d38420769c8a1fe2d583ff1e7d2d108d4eb0b30",
                    "d33548174dfc6ebad012fc73b1483532c7887d8c97fd6deb62d56c742e96baba", List.of())),
            Map.entry("plaid/2020-09-14.yml", new Pin("github.com/plaid/plaid-openapi", "2020-09-14.yml",
                    "26f1a0588c12e765e99c815300d94eae0a3c7dc1",
                    "fb8c3f188d8b1c917f2b184b720a96361f2ee72f5d595d189e8b4513a1d62930", "plaid-transactions-accounts.json")));

    private PublishedDescriptions() {
    }

    /** The file to check against for the pinned description {@code name}, from the environment's folder. */
    public static Located locate(String name) {
        return locate(name, pin(name).excerpt());
    }

    /** As {@link #locate(String)}, falling back to the pinned description's excerpt {@code excerpt}. */
    public static Located locate(String name, String excerpt) {
        String named = System.getenv("SYNCLINE_CONTRACTS");
        return named != null && !named.isBlank()
                ? locate(name, excerpt, Optional.of(Path.of(named)), true)
                : locate(name, excerpt, sharedFolder(Path.of("").toAbsolutePath()), false);
    }

    static Located locate(String name, Optional<Path> folder, boolean named) {
        return locate(name, pin(name).excerpt(), folder, named);
    }

    /**
     * The whole description {@code name} in {@code folder} when it is there and of the pinned version;
     * when it is not there (and the folder was not {@code named} explicitly), the whole file committed
     * here, else the excerpt.
     */
    static Located locate(String name, String excerpt, Optional<Path> folder, boolean named) {
        Pin pin = pin(name);
        if (excerpt != null && !pin.excerpts().contains(excerpt)) {
            throw new IllegalArgumentException(excerpt + " is not an excerpt of " + name);
        }
        String where = pin.repository() + " " + pin.path() + " at " + pin.commit();
        Optional<Path> file = folder.map(at -> at.resolve(name));
        if (file.isPresent() && Files.isRegularFile(file.get())) {
            String sha256 = sha256(file.get());
            if (!sha256.equals(pin.sha256())) {
                throw new AssertionError("The published description at " + file.get().toAbsolutePath()
                        + " is not the pinned version " + where + ": sha256 " + sha256 + ", expected " + pin.sha256());
            }
            return new Located(file.get(), true, "the whole " + name + " at " + file.get().toAbsolutePath());
        }
        if (named) {
            throw new AssertionError("SYNCLINE_CONTRACTS names " + folder.get().toAbsolutePath() + " but " + name
                    + " is not there: place " + where + " there (sha256 " + pin.sha256() + ")");
        }
        Optional<Located> committed = committed(name, pin, where);
        if (committed.isPresent()) {
            return committed.get();
        }
        if (excerpt == null) {
            throw new AssertionError(name + " is neither placed nor committed under " + COMMITTED + ", and has no excerpt: commit "
                    + where + " there (sha256 " + pin.sha256() + ")");
        }
        return new Located(EXCERPTS.resolve(excerpt), false, "the excerpt " + excerpt + "; the whole "
                + name + " is not placed");
    }

    /**
     * The whole description committed as {@code published/<name>}, or gzipped as {@code <name>.gz} (then
     * unpacked to a temporary file, which the parser reads); empty where neither is. Either must be of the
     * pinned version.
     */
    static Optional<Located> committed(String name, Pin pin, String where) {
        Path plain = COMMITTED.resolve(name);
        Path gzipped = COMMITTED.resolve(name + ".gz");
        Path file;
        try {
            if (Files.isRegularFile(plain)) {
                file = plain;
            } else if (Files.isRegularFile(gzipped)) {
                file = Files.createTempFile("published-", "-" + plain.getFileName());
                file.toFile().deleteOnExit();
                try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(gzipped))) {
                    Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            } else {
                return Optional.empty();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String sha256 = sha256(file);
        if (!sha256.equals(pin.sha256())) {
            throw new AssertionError("The description committed as " + (file == plain ? plain : gzipped)
                    + " is not the pinned version " + where + ": sha256 " + sha256 + ", expected " + pin.sha256());
        }
        return Optional.of(new Located(file, true, "the whole " + name + " committed under " + COMMITTED));
    }

    static Pin pin(String name) {
        Pin pin = PINS.get(name);
        if (pin == null) {
            throw new IllegalArgumentException("no published description is pinned as " + name);
        }
        return pin;
    }

    /** The first {@code shared/contracts} folder in {@code start} or above it. */
    static Optional<Path> sharedFolder(Path start) {
        for (Path at = start; at != null; at = at.getParent()) {
            Path candidate = at.resolve("shared/contracts");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
