package io.syncline.model;

import io.syncline.testsupport.ModelProblems;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quantities ({@code quantity:}) and the fields that carry their changes ({@code decrements:}) are
 * checked at start-up: each problem with its file, line and fix.
 */
class QuantityValidationTest {

    private static List<ModelProblem> problems(String fields, String shopFields, String conflict) {
        return problems(fields, shopFields, conflict, "warehouse");
    }

    private static List<ModelProblem> problems(String fields, String shopFields, String conflict, String master) {
        String model = """
                systems:
                  shop: {type: jdbc, datasource: default}
                  warehouse: {type: jdbc, datasource: default}
                entities:
                  stockItem:
                    key: sku
                    master: %s
                    webhooks: {shop: /webhooks/shop/orders}
                    fields:
                      sku: {type: string}
                %s
                    mappings:
                      shop:
                        key: sku
                        table: shop_stock
                        fields:
                          - {field: sku, path: sku}
                %s
                      warehouse:
                        key: sku
                        table: wh_stock
                        fields:
                          - {field: sku, path: sku}
                          - {field: stock, path: on_hand}
                %s
                """.formatted(master, fields, shopFields, conflict);
        return ModelProblems.of(name -> null, new ModelFile("file:stock.syncline.yaml", model.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void quantityAndItsChangeFieldCompile() {
        assertThat(problems("""
                      stock: {type: integer, quantity: {floor: 0, below: hold}}
                      ordered: {type: integer, decrements: stock}
                """, """
                          - {field: stock, path: available, transforms: [integer]}
                          - {field: ordered, path: line.quantity, direction: in}
                """, "")).isEmpty();
    }

    @Test
    void quantityThatCannotAddUpIsRefusedWithItsLineAndFix() {
        List<ModelProblem> problems = problems("""
                      stock: {type: string, quantity: true}
                      ordered: {type: integer, decrements: stok}
                """, """
                          - {field: stock, path: available, transforms: [{constant: 5}]}
                          - {field: ordered, path: line.quantity}
                """, """
                    conflict:
                      strategy: master-always-wins
                      fields: {stock: last-write-wins}
                """);

        assertThat(problems).allSatisfy(problem -> {
            assertThat(problem.file()).isEqualTo("file:stock.syncline.yaml");
            assertThat(problem.line()).isPositive();
            assertThat(problem.fix()).isNotBlank();
        });
        assertThat(problems).extracting(ModelProblem::path).contains(
                "entities.stockItem.fields.stock.quantity",
                "entities.stockItem.fields.ordered.decrements",
                "entities.stockItem.mappings.shop.fields[1].transforms[0]",
                "entities.stockItem.mappings.shop.fields[2].direction",
                "entities.stockItem.conflict.fields.stock");
        assertThat(problems).filteredOn(problem -> problem.path().endsWith("decrements")).singleElement()
                .satisfies(problem -> assertThat(problem.fix()).contains("stock"));
    }

    @Test
    void unknownFloorActionIsRefused() {
        assertThat(problems("""
                      stock: {type: integer, quantity: {floor: 0, below: sell}}
                """, "", "")).extracting(ModelProblem::problem).anySatisfy(problem -> assertThat(problem).contains("hold or reject"));
    }

    @Test
    void quantitySetFromTheMasterCompilesAndNeedsAMappedMaster() {
        String fields = """
                      stock: {type: integer, quantity: {floor: 0, write: master}}
                      ordered: {type: integer, decrements: stock}
                """;
        String shopFields = """
                          - {field: stock, path: available}
                          - {field: ordered, path: line.quantity, direction: in}
                """;
        assertThat(problems(fields, shopFields, "")).isEmpty();
        assertThat(problems(fields, shopFields, "", "shop")).isEmpty();
        assertThat(problems(fields, shopFields, "", "erp")).anySatisfy(problem -> {
            assertThat(problem.problem()).contains("write: master").contains("no mapping of its master erp");
            assertThat(problem.fix()).contains("write: changes");
        });
        assertThat(problems("""
                      stock: {type: integer, quantity: {write: sometimes}}
                """, "", "")).extracting(ModelProblem::problem).anySatisfy(problem -> assertThat(problem).contains("changes or master"));
    }
}
