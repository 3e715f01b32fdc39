package io.syncline.model;

import io.syncline.testsupport.ModelProblems;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The complete example of docs/model.md's "Related records" (HubSpot's companies, contacts and deals
 * into an ERP and QuickBooks) is a model start-up accepts as it is printed.
 */
class RelatedRecordsExampleTest {

    /** What the example's deployment sets: its secrets, the ERP's URL and the key that seals QuickBooks' tokens. */
    private static final Environment DEPLOYMENT = name -> switch (name) {
        case "ERP_JDBC_URL" -> "jdbc:postgresql://erp-db.internal:5432/erp";
        case "SYNCLINE_TOKEN_KEY" -> "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
        default -> "from-the-environment";
    };

    private static final String HEADING = "#### A complete example: a CRM's companies, contacts and deals into an ERP and accounting";

    /** The first YAML block after the example's heading. */
    static String example() throws IOException {
        String doc = Files.readString(Path.of("docs/model.md"), StandardCharsets.UTF_8);
        int heading = doc.indexOf(HEADING);
        assertThat(heading).as("docs/model.md has the heading %s", HEADING).isNotNegative();
        int start = doc.indexOf("```yaml\n", heading) + "```yaml\n".length();
        return doc.substring(start, doc.indexOf("```\n", start));
    }

    @Test
    void theExampleIsAModelStartUpAccepts() throws IOException {
        List<ModelProblem> problems = ModelProblems.of(DEPLOYMENT,
                new ModelFile("file:related.syncline.yaml", example().getBytes(StandardCharsets.UTF_8)));

        assertThat(problems).isEmpty();
    }

    @Test
    void aMistakeInTheExampleIsFound() throws IOException {
        String broken = example().replace("company: {type: string, ref: company, missingParent: sync}",
                "company: {type: string, ref: compnay, missingParent: sync}");

        List<ModelProblem> problems = ModelProblems.of(DEPLOYMENT,
                new ModelFile("file:related.syncline.yaml", broken.getBytes(StandardCharsets.UTF_8)));

        assertThat(problems).isNotEmpty();
    }
}
