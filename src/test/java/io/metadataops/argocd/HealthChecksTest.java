package io.metadataops.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.metadataops.manifests.DeployManifests;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Each Argo CD health script against sample objects in every state, run by a Lua interpreter the
 * way Argo CD runs it: a global {@code obj}, a returned table with {@code status} and {@code
 * message}.
 */
@Tag("unit")
class HealthChecksTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "one-shot.lua | {\"spec\":{}} | Progressing | Waiting for the operator",
        "one-shot.lua | {\"spec\":{},\"status\":{\"phase\":\"Running\",\"message\":\"Backup Job x is running\",\"conditions\":[{\"type\":\"Reconciling\",\"status\":\"True\",\"reason\":\"JobRunning\",\"message\":\"m\"}]}} | Progressing | Backup Job x is running",
        "one-shot.lua | {\"spec\":{},\"status\":{\"conditions\":[{\"type\":\"Succeeded\",\"status\":\"True\",\"reason\":\"BackupSucceeded\",\"message\":\"Backup succeeded: /backups/a.sql.gz\"}]}} | Healthy | Backup succeeded: /backups/a.sql.gz",
        "one-shot.lua | {\"spec\":{},\"status\":{\"conditions\":[{\"type\":\"Failed\",\"status\":\"True\",\"reason\":\"AUTHENTICATION\",\"message\":\"access denied\"}]}} | Degraded | AUTHENTICATION: access denied",
        "one-shot.lua | {\"spec\":{},\"status\":{\"conditions\":[{\"type\":\"Stalled\",\"status\":\"True\",\"reason\":\"ServerNotFound\",\"message\":\"fix spec.source\"}]}} | Degraded | ServerNotFound: fix spec.source",
        "one-shot.lua | {\"spec\":{},\"status\":{\"conditions\":[{\"type\":\"Stalled\",\"status\":\"False\",\"reason\":\"Validated\",\"message\":\"ok\"}],\"message\":\"Restore Job created\"}} | Progressing | Restore Job created",
        "upgrade.lua | {\"spec\":{\"targetVersion\":\"1.6.2\"}} | Progressing | Waiting for the operator",
        "upgrade.lua | {\"spec\":{\"targetVersion\":\"1.6.2\"},\"status\":{\"phase\":\"Migrating\",\"message\":\"migration Job running\"}} | Progressing | Migrating: migration Job running",
        "upgrade.lua | {\"spec\":{\"targetVersion\":\"1.6.2\"},\"status\":{\"phase\":\"Migrating\",\"message\":\"migration Job running\",\"downtime\":{\"startedAt\":\"2026-12-07T05:42:57Z\"}}} | Progressing | Migrating, the server is down since 2026-12-07T05:42:57Z: migration Job running",
        "upgrade.lua | {\"spec\":{\"targetVersion\":\"1.6.2\"},\"status\":{\"phase\":\"PreFlight\",\"message\":\"verifying the dump by restore\"}} | Progressing | PreFlight, the server still serves: verifying the dump by restore",
        "upgrade.lua | {\"spec\":{\"targetVersion\":\"1.6.2\"},\"status\":{\"phase\":\"Rehearsing\",\"message\":\"Rehearsal: migrating a copy of the database to 1.6.2\"}} | Progressing | Rehearsing, the server still serves: Rehearsal: migrating a copy of the database to 1.6.2",
        "upgrade.lua | {\"spec\":{\"targetVersion\":\"1.6.2\"},\"status\":{\"phase\":\"Failed\",\"conditions\":[{\"type\":\"Failed\",\"status\":\"True\",\"reason\":\"RehearsalFailed\",\"message\":\"the rehearsal migration failed on a copy; the server was never stopped\"}]}} | Degraded | RehearsalFailed: the rehearsal migration failed on a copy; the server was never stopped",
        "upgrade.lua | {\"spec\":{\"targetVersion\":\"1.6.2\"},\"status\":{\"phase\":\"Failed\",\"conditions\":[{\"type\":\"Failed\",\"status\":\"True\",\"reason\":\"PreFlightFailed\",\"message\":\"no downtime\"}]}} | Degraded | PreFlightFailed: no downtime",
        "upgrade.lua | {\"spec\":{\"targetVersion\":\"1.6.2\"},\"status\":{\"phase\":\"Succeeded\",\"toVersion\":\"1.6.2\",\"downtime\":{\"startedAt\":\"a\",\"endedAt\":\"b\",\"seconds\":24},\"conditions\":[{\"type\":\"Succeeded\",\"status\":\"True\",\"reason\":\"Verified\",\"message\":\"ok\"}]}} | Healthy | Running OpenMetadata 1.6.2 after 24 s of downtime",
        "upgrade.lua | {\"spec\":{\"targetVersion\":\"1.6.2\"},\"status\":{\"phase\":\"AwaitingApproval\",\"message\":\"approve 1.6/x in spec.approvedChanges\"}} | Suspended | approve 1.6/x in spec.approvedChanges",
        "upgrade.lua | {\"spec\":{\"targetVersion\":\"1.6.2\",\"paused\":true},\"status\":{\"phase\":\"BackingUp\",\"message\":\"paused\"}} | Suspended | paused",
        "upgrade.lua | {\"metadata\":{\"annotations\":{\"metadataops.io/paused\":\"true\"}},\"spec\":{\"targetVersion\":\"1.6.2\"},\"status\":{\"phase\":\"ScalingDown\",\"message\":\"Paused before ScalingDown\"}} | Suspended | Paused before ScalingDown",
        "upgrade.lua | {\"metadata\":{\"annotations\":{\"metadataops.io/paused\":\"false\"}},\"spec\":{\"targetVersion\":\"1.6.2\"},\"status\":{\"phase\":\"ScalingDown\",\"message\":\"stopping the server\"}} | Progressing | ScalingDown: stopping the server",
        "upgrade.lua | {\"spec\":{\"targetVersion\":\"1.6.2\"},\"status\":{\"phase\":\"RollingBack\",\"message\":\"restoring backup b-1\",\"conditions\":[{\"type\":\"Reconciling\",\"status\":\"True\",\"reason\":\"RollingBack\",\"message\":\"m\"}]}} | Progressing | RollingBack: restoring backup b-1",
        "upgrade.lua | {\"spec\":{\"targetVersion\":\"1.6.2\"},\"status\":{\"phase\":\"RollingBack\",\"rollbackStep\":\"AWAITING_GIT\",\"gitOps\":\"Argo CD application om\",\"message\":\"Revert the commit\"}} | Degraded | RollingBack, waiting for Git: Revert the commit",
        "upgrade.lua | {\"spec\":{\"targetVersion\":\"1.6.2\",\"dryRun\":true},\"status\":{\"phase\":\"Planned\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"Planned\",\"message\":\"plan\"}]}} | Healthy | Dry run: plan written to status.plan",
        "upgrade.lua | {\"spec\":{\"targetVersion\":\"1.6.2\"},\"status\":{\"phase\":\"RollingOut\",\"gitOps\":\"Argo CD application om\",\"message\":\"Waiting for Argo CD application om to apply s:1.6.2\"}} | Healthy | RollingOut: Waiting for Argo CD application om to apply s:1.6.2",
        "upgrade.lua | {\"spec\":{\"targetVersion\":\"1.6.2\"},\"status\":{\"phase\":\"Migrating\",\"gitOps\":\"Argo CD application om\",\"message\":\"migrating\"}} | Progressing | Migrating: migrating",
        "upgrade.lua | {\"spec\":{\"targetVersion\":\"1.6.2\"},\"status\":{\"phase\":\"Succeeded\",\"toVersion\":\"1.6.2\",\"conditions\":[{\"type\":\"Succeeded\",\"status\":\"True\",\"reason\":\"Verified\",\"message\":\"ok\"}]}} | Healthy | Running OpenMetadata 1.6.2",
        "upgrade.lua | {\"spec\":{\"targetVersion\":\"1.6.2\"},\"status\":{\"phase\":\"RolledBack\",\"conditions\":[{\"type\":\"RolledBack\",\"status\":\"True\",\"reason\":\"MigrationFailed\",\"message\":\"restored 1.5.2\"},{\"type\":\"Failed\",\"status\":\"True\",\"reason\":\"MigrationFailed\",\"message\":\"restored 1.5.2\"}]}} | Degraded | MigrationFailed: restored 1.5.2",
        "upgrade.lua | {\"spec\":{\"targetVersion\":\"1.6.2\"},\"status\":{\"phase\":\"Failed\",\"conditions\":[{\"type\":\"Failed\",\"status\":\"True\",\"reason\":\"RollbackFailed\",\"message\":\"database at 1.6 schema\"}]}} | Degraded | RollbackFailed: database at 1.6 schema",
        "upgrade.lua | {\"spec\":{\"targetVersion\":\"1.4.0\"},\"status\":{\"phase\":\"Stalled\",\"conditions\":[{\"type\":\"Stalled\",\"status\":\"True\",\"reason\":\"Downgrade\",\"message\":\"1.5.2 to 1.4.0 is a downgrade\"}]}} | Degraded | Downgrade: 1.5.2 to 1.4.0 is a downgrade",
        "schedule.lua | {\"spec\":{\"suspend\":true}} | Suspended | Schedule suspended",
        "schedule.lua | {\"spec\":{}} | Progressing | Waiting for the operator",
        "schedule.lua | {\"spec\":{},\"status\":{\"message\":\"next backup at 2026-11-26T02:00:00Z\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"Scheduled\",\"message\":\"m\"}]}} | Healthy | next backup at 2026-11-26T02:00:00Z",
        "schedule.lua | {\"spec\":{},\"status\":{\"conditions\":[{\"type\":\"Stalled\",\"status\":\"True\",\"reason\":\"InvalidSchedule\",\"message\":\"spec.schedule nightly\"}]}} | Degraded | InvalidSchedule: spec.schedule nightly",
      })
  void scriptMapsTheStateToArgoHealth(String script, String object, String status, String message)
      throws IOException {
    LuaTable health = run(script, JSON.readTree(object));
    assertThat(health.get("status").tojstring()).isEqualTo(status);
    assertThat(health.get("message").tojstring()).isEqualTo(message);
  }

  private static LuaTable run(String script, JsonNode object) {
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", toLua(object));
    String source = DeployManifests.healthScript(Path.of(""), script);
    return globals.load(source, script).call().checktable();
  }

  private static LuaValue toLua(JsonNode node) {
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        table.set(field.getKey(), toLua(field.getValue()));
      }
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, toLua(node.get(i)));
      }
      return table;
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.booleanValue());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.doubleValue());
    }
    return node.isNull() ? LuaValue.NIL : LuaValue.valueOf(node.asText());
  }
}
