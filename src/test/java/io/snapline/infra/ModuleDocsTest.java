package io.snapline.infra;

import io.snapline.infra.TerraformModel.Block;
import io.snapline.infra.TerraformModel.TfFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Requirements / Inputs / Outputs tables of every module's and example's README, in the form
 * terraform-docs generates (terraform-aws-modules convention), between the markers
 * {@code <!-- BEGIN_TF_DOCS -->} and {@code <!-- END_TF_DOCS -->}, are exactly what versions.tf,
 * variables.tf and outputs.tf say: a variable or output cannot be added, changed or removed without
 * its row. terraform-docs is not installed here, so this test is the generator too:
 * {@code mvn -q test -Dtest=ModuleDocsTest -Dsnapline.tfdocs.write=true} rewrites the tables.
 */
class ModuleDocsTest {

    static final String BEGIN = "<!-- BEGIN_TF_DOCS -->";
    static final String END = "<!-- END_TF_DOCS -->";

    @ParameterizedTest
    @ValueSource(strings = {"modules/source-account", "modules/analytics-account", "modules/dr-region", "examples/single-account",
            "examples/cross-account", "examples/tokyo-dr"})
    void theReadmeTablesAreGeneratedFromTheCode(String module) throws IOException {
        Path dir = TerraformRules.terraformRoot().resolve(module);
        Path readme = dir.resolve("README.md");
        String text = Files.readString(readme);
        String expected = tables(dir);
        if (Boolean.getBoolean("snapline.tfdocs.write")) {
            int b = text.indexOf(BEGIN);
            int e = text.indexOf(END);
            String updated = b >= 0 && e > b ? text.substring(0, b) + expected + text.substring(e + END.length())
                    : text.stripTrailing() + "\n\n" + expected + "\n";
            Files.writeString(readme, updated);
            text = updated;
        }
        assertThat(text).as(readme + " has the " + BEGIN + " ... " + END + " section").contains(BEGIN, END);
        String actual = text.substring(text.indexOf(BEGIN), text.indexOf(END) + END.length());
        assertThat(actual).as(readme + " tables (regenerate: mvn -q test -Dtest=ModuleDocsTest -Dsnapline.tfdocs.write=true)")
                .isEqualTo(expected);
    }

    @Test
    void theGeneratorRendersTypesDefaultsAndRequired(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("versions.tf"), """
                terraform {
                  required_version = ">= 1.5"
                  required_providers {
                    aws = {
                      source  = "hashicorp/aws"
                      version = ">= 5.60, < 7.0"
                    }
                  }
                }
                """);
        Files.writeString(dir.resolve("variables.tf"), """
                variable "b" {
                  type        = map(object({
                    x = optional(string, "y")
                  }))
                  description = "B, with a | bar."
                  default     = {}
                }
                variable "a" {
                  type        = string
                  description = "A."
                }
                """);
        Files.writeString(dir.resolve("outputs.tf"), """
                output "o" {
                  description = "O."
                  value       = 1
                }
                """);
        assertThat(tables(dir)).isEqualTo(BEGIN + """


                ## Requirements

                | Name | Version |
                |------|---------|
                | terraform | >= 1.5 |
                | aws | >= 5.60, < 7.0 |

                ## Inputs

                | Name | Description | Type | Default | Required |
                |------|-------------|------|---------|:--------:|
                | a | A. | `string` | n/a | yes |
                | b | B, with a \\| bar. | `map(object({ x = optional(string, "y") }))` | `{}` | no |

                ## Outputs

                | Name | Description |
                |------|-------------|
                | o | O. |
                """ + END);
    }

    /** The tables for the module in {@code dir}. */
    static String tables(Path dir) {
        TerraformModel model = TerraformModel.load(dir);
        List<TfFile> files = model.files().stream().filter(f -> f.dir().equals(dir)).toList();
        StringBuilder out = new StringBuilder(BEGIN).append("\n\n## Requirements\n\n| Name | Version |\n|------|---------|\n");
        for (TfFile f : files) {
            Map<String, Object> terraform = TerraformModel.asMap(first(f.model().get("terraform")));
            if (terraform.isEmpty()) {
                continue;
            }
            out.append("| terraform | ").append(terraform.get("required_version")).append(" |\n");
            Map<String, Object> providers = TerraformModel.asMap(first(terraform.get("required_providers")));
            providers.forEach((name, spec) -> out.append("| ").append(name).append(" | ")
                    .append(TerraformModel.asMap(spec).get("version")).append(" |\n"));
        }
        out.append("\n## Inputs\n\n| Name | Description | Type | Default | Required |\n|------|-------------|------|---------|:--------:|\n");
        List<Block> variables = new ArrayList<>(model.variables().stream().filter(v -> v.file().dir().equals(dir)).toList());
        variables.sort(Comparator.comparing(Block::name));
        for (Block v : variables) {
            Matcher header = Pattern.compile("(?m)^variable\\s+\"" + Pattern.quote(v.name()) + "\"\\s*\\{").matcher(v.file().text());
            assertThat(header.find()).as("source of variable " + v.name()).isTrue();
            String source = TerraformModel.balanced(v.file().text(), header.end() - 1);
            String type = expression(source, "type");
            String dflt = expression(source, "default");
            out.append("| ").append(v.name()).append(" | ").append(cell(String.valueOf(v.body().get("description"))))
                    .append(" | `").append(type == null ? "any" : cell(type)).append("` | ")
                    .append(dflt == null ? "n/a" : "`" + cell(dflt) + "`").append(" | ")
                    .append(dflt == null ? "yes" : "no").append(" |\n");
        }
        out.append("\n## Outputs\n\n| Name | Description |\n|------|-------------|\n");
        List<String[]> outputs = new ArrayList<>();
        for (TfFile f : files) {
            TerraformModel.asMap(f.model().get("output")).forEach((name, body) -> outputs.add(new String[]{name,
                    String.valueOf(TerraformModel.asMap(first(body)).get("description"))}));
        }
        outputs.sort(Comparator.comparing(o -> o[0]));
        for (String[] o : outputs) {
            out.append("| ").append(o[0]).append(" | ").append(cell(o[1])).append(" |\n");
        }
        return out.append(END).toString();
    }

    private static Object first(Object value) {
        List<Map<String, Object>> blocks = TerraformModel.blocks(value);
        return blocks.isEmpty() ? null : blocks.get(0);
    }

    private static String cell(String s) {
        // hcl4j keeps the "$${" escape that Terraform reads as "${".
        return s.replace("$${", "${").replaceAll("\\s+", " ").trim().replace("|", "\\|");
    }

    /**
     * The source text of the attribute {@code name} at the top level of a block: from after its
     * {@code =} to the end of the line, or further while brackets or a string are open.
     */
    static String expression(String block, String name) {
        Matcher m = Pattern.compile("(?m)^  " + Pattern.quote(name) + "\\s*=\\s*").matcher(block);
        if (!m.find()) {
            return null;
        }
        int depth = 0;
        boolean inString = false;
        int i = m.end();
        for (; i < block.length(); i++) {
            char c = block.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if ("([{".indexOf(c) >= 0) {
                depth++;
            } else if (")]}".indexOf(c) >= 0) {
                depth--;
            } else if (c == '\n' && depth == 0) {
                break;
            }
        }
        String text = block.substring(m.end(), i).lines().map(TerraformRules::stripComment)
                .reduce("", (a, b) -> a + " " + b);
        return text.replaceAll("\\s+", " ").replace("( ", "(").replace(" )", ")").trim();
    }
}
