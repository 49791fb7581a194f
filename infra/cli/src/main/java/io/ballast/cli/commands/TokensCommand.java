package io.ballast.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.cli.CliException;
import io.ballast.cli.ExitCode;
import io.ballast.cli.OutputOption;
import io.ballast.cli.Session;
import io.ballast.cli.api.ApiClient;
import io.ballast.cli.render.Format;
import io.ballast.cli.render.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ballast tokens list|create|delete} (admin). */
@Command(name = "tokens", description = "List, create and revoke API tokens (needs an admin token).",
        subcommands = {TokensCommand.ListTokens.class, TokensCommand.Create.class, TokensCommand.Delete.class})
public final class TokensCommand extends Group {

    @Command(name = "list", description = "List tokens (never their secrets).")
    static final class ListTokens extends ApiCommand {
        @Mixin
        OutputOption output;

        ListTokens(Session session) {
            super(session);
        }

        @Override
        public Integer call() {
            ObjectNode list = Lists.all(api(), "/tokens?limit=1000", "after");
            if (output.format != Format.table) {
                out().print(Format.write(list, output.format));
                return ExitCode.OK;
            }
            Instant now = Instant.now();
            Table t = new Table("NAME", "ROLE", "CREATED", "LAST USED", "CREATED BY");
            for (JsonNode token : list.path("items")) {
                t.row(token.path("name").asText(), Rows.text(token, "role"), Ages.ago(token.get("createdAt"), now),
                        Ages.ago(token.get("lastUsedAt"), now), Rows.text(token, "createdBy"));
            }
            out().print(t.render(terminal()));
            return ExitCode.OK;
        }
    }

    @Command(name = "create", description = {"Create a token. Its secret is shown this once:",
            "on standard output, or written to --secret-file (mode 0600) and not shown."})
    static final class Create extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "viewer, operator, admin or dataplane")
        String role;

        @Option(names = "--secret-file", paramLabel = "FILE", description = "Write the secret to FILE (created with mode 0600) instead of printing it")
        Path secretFile;

        Create(Session session) {
            super(session);
        }

        @Override
        public Integer call() {
            if (secretFile != null && Files.exists(secretFile)) {
                throw new CliException(secretFile + " already exists; the secret goes only into a new file");
            }
            ObjectNode body = ApiClientJson.object();
            body.put("name", name);
            body.put("role", role);
            JsonNode issued = api().post("/tokens", body.toString()).json();
            String secret = issued.path("secret").asText();
            if (secretFile == null) {
                out().println(secret);
                terminal().err().println("Token " + issued.path("name").asText() + " (" + issued.path("role").asText()
                        + ") created; its secret above is shown only this once.");
                return ExitCode.OK;
            }
            try {
                Files.createFile(secretFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(secretFile, secret + System.lineSeparator());
            } catch (IOException e) {
                throw new CliException("token " + name + " was created, but its secret could not be written to " + secretFile
                        + " (" + e + "); delete the token and create it again", e);
            }
            out().println("Token " + issued.path("name").asText() + " (" + issued.path("role").asText() + ") created; its secret is in "
                    + secretFile + ".");
            return ExitCode.OK;
        }
    }

    @Command(name = "delete", description = "Revoke a token at once (data planes connected with it are disconnected).")
    static final class Delete extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        Delete(Session session) {
            super(session);
        }

        @Override
        public Integer call() {
            api().delete("/tokens/" + ApiClient.segment(name));
            out().println("Token " + name + " deleted.");
            return ExitCode.OK;
        }
    }
}
