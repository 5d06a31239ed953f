package io.metadataops.backup.sql;

import static io.metadataops.backup.sql.SqlLiterals.postgresIdentifier;

import io.metadataops.backup.manifest.SchemaObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The schema objects of a PostgreSQL schema besides its tables and sequences, read from the
 * catalogs once per backup: the extensions it depends on, user-defined types (enum, composite,
 * range), domains, functions and procedures, views and materialized views, triggers and comments.
 * Each is written as the statement that recreates it, in dependency order ({@code pg_depend}):
 * {@link #preData} before the tables (a domain before the table that uses it, a function before the
 * default or check that calls it), {@link #postData} after the rows, keys and indexes (views after
 * their tables and a view over a view after its base; materialized views refreshed once the rows
 * are in; triggers last, so they do not fire on the restored rows). What the engine cannot carry is
 * listed in {@link #unsupported}: the backup refuses it rather than lose it.
 */
final class PostgresSchema {

  /** Kinds as the manifest names them. */
  static final String EXTENSION = "extension";

  static final String TYPE = "type";
  static final String DOMAIN = "domain";
  static final String FUNCTION = "function";
  static final String PROCEDURE = "procedure";
  static final String SEQUENCE = "sequence";
  static final String VIEW = "view";
  static final String MATERIALIZED_VIEW = "materialized view";
  static final String TRIGGER = "trigger";
  static final String COMMENT = "comment";

  private enum Phase {
    PRE,
    TABLE,
    POST
  }

  /** One object: what creates it, where it belongs and what it needs (catalog keys). */
  private static final class Node {
    final String kind;
    final String name;
    final int rank;
    Phase phase;
    final List<String> statements = new ArrayList<>();
    final Set<Node> needs = new HashSet<>();

    Node(String kind, String name, int rank, Phase phase) {
      this.kind = kind;
      this.name = name;
      this.rank = rank;
      this.phase = phase;
    }
  }

  private final List<String> preData = new ArrayList<>();
  private final List<String> postData = new ArrayList<>();
  private final List<String> comments = new ArrayList<>();
  private final List<SchemaObject> objects = new ArrayList<>();
  private final List<String> unsupported = new ArrayList<>();

  /** Extensions, types, domains and functions that the tables need: before them. */
  List<String> preData() {
    return preData;
  }

  /** Views, materialized views (created and refreshed), late functions and triggers. */
  List<String> postData() {
    return postData;
  }

  /** COMMENT ON statements: last. */
  List<String> comments() {
    return comments;
  }

  /** What the manifest lists (sequences are added by the dialect). */
  List<SchemaObject> objects() {
    return objects;
  }

  /** Objects the engine cannot carry, each with the reason. */
  List<String> unsupported() {
    return unsupported;
  }

  private static final String NOT_EXTENSION_MEMBER =
      " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = %s"
          + " AND e.objid = %s AND e.deptype = 'e')";

  private static String notMember(String catalog, String oid) {
    return String.format(NOT_EXTENSION_MEMBER, "'pg_catalog." + catalog + "'::regclass", oid);
  }

  /**
   * The quoted name of collation {@code collation} where it is not {@code defaultCollation} (what
   * the declaring type inherits), else NULL: only an explicit collation is declared again.
   */
  private static String collationUnlessDefault(String collation, String defaultCollation) {
    return String.format(
        "CASE WHEN %1$s <> 0 AND %1$s <> %2$s THEN (SELECT pg_catalog.quote_ident(collname)"
            + " FROM pg_catalog.pg_collation WHERE oid = %1$s) END",
        collation, defaultCollation);
  }

  /**
   * Reads the objects of {@code schema}; {@code tables}: oid -> name of the tables the backup
   * carries (their triggers and comments are written; views over other tables are refused).
   */
  static PostgresSchema read(Connection connection, String schema, Map<Long, String> tables)
      throws SQLException {
    PostgresSchema result = new PostgresSchema();
    result.load(connection, schema, tables);
    return result;
  }

  private void load(Connection c, String schema, Map<Long, String> tables) throws SQLException {
    String ns =
        Jdbc.queryStrings(
                c, "SELECT oid::text FROM pg_catalog.pg_namespace WHERE nspname = ?", schema)
            .stream()
            .findFirst()
            .orElse("0");
    Map<String, Node> byKey = new HashMap<>();
    List<Node> nodes = new ArrayList<>();

    // Tables (and their row types, defaults, checks): fixed place between pre and post data.
    Node tablesNode = new Node("table", "", 0, Phase.TABLE);
    // Tables --include/--exclude leave out: nothing the dump carries may need them.
    Map<Node, String> leftOut = new HashMap<>();
    for (String[] row :
        Jdbc.queryRows(
            c,
            "SELECT c.oid::text, c.reltype::text, c.relkind::text,"
                + " pg_catalog.quote_ident(c.relname) FROM pg_catalog.pg_class c"
                + " WHERE c.relnamespace = "
                + ns
                + " AND c.relkind IN ('r', 'p', 'S')",
            4)) {
      Node node = tablesNode;
      if (!row[2].equals("S") && !tables.containsKey(Long.parseLong(row[0]))) {
        node = new Node("table", row[3], 0, Phase.TABLE);
        leftOut.put(node, row[3]);
      }
      byKey.put("pg_class/" + row[0], node);
      byKey.put("pg_type/" + row[1], node);
    }
    for (String[] row :
        Jdbc.queryRows(
            c,
            "SELECT d.oid::text FROM pg_catalog.pg_attrdef d JOIN pg_catalog.pg_class c"
                + " ON c.oid = d.adrelid WHERE c.relnamespace = "
                + ns
                + " UNION ALL SELECT k.oid::text FROM pg_catalog.pg_constraint k"
                + " JOIN pg_catalog.pg_class c ON c.oid = k.conrelid WHERE c.relnamespace = "
                + ns,
            1)) {
      byKey.put("pg_attrdef/" + row[0], tablesNode);
      byKey.put("pg_constraint/" + row[0], tablesNode);
    }

    // Extensions the schema depends on: those installed in it, and those whose types its
    // relations use.
    for (String[] row :
        Jdbc.queryRows(
            c,
            "SELECT x.extname, n.nspname, (x.extnamespace = "
                + ns
                + ")::text FROM pg_catalog.pg_extension x"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace"
                + " WHERE x.extname <> 'plpgsql' AND (x.extnamespace = "
                + ns
                + " OR EXISTS (SELECT 1 FROM pg_catalog.pg_depend m JOIN pg_catalog.pg_depend d"
                + " ON d.refclassid = m.classid AND d.refobjid = m.objid"
                + " JOIN pg_catalog.pg_class r ON d.classid = 'pg_catalog.pg_class'::regclass"
                + " AND r.oid = d.objid AND r.relnamespace = "
                + ns
                + " WHERE m.refclassid = 'pg_catalog.pg_extension'::regclass"
                + " AND m.refobjid = x.oid AND m.deptype = 'e'))"
                + " ORDER BY 1",
            3)) {
      Node node = new Node(EXTENSION, row[0], 0, Phase.PRE);
      node.statements.add(
          "CREATE EXTENSION IF NOT EXISTS "
              + postgresIdentifier(row[0])
              + ("true".equals(row[2]) ? "" : " WITH SCHEMA " + postgresIdentifier(row[1])));
      nodes.add(node);
    }
    // Extension members come with CREATE EXTENSION: they need it.
    List<Node> extensions = List.copyOf(nodes);

    // Types: enum, range, composite; domains. Array and multirange types come with their base.
    for (String[] row :
        Jdbc.queryRows(
            c,
            "SELECT t.oid::text, t.typname, t.typtype::text, t.typrelid::text,"
                + " pg_catalog.format_type(t.oid, NULL), t.typarray::text"
                + " FROM pg_catalog.pg_type t WHERE t.typnamespace = "
                + ns
                + " AND (t.typrelid = 0 OR (SELECT r.relkind FROM pg_catalog.pg_class r"
                + " WHERE r.oid = t.typrelid) = 'c')"
                + " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i"
                + " WHERE i.classid = 'pg_catalog.pg_type'::regclass AND i.objid = t.oid"
                + " AND i.deptype = 'i')"
                + notMember("pg_type", "t.oid")
                + " ORDER BY t.typname",
            6)) {
      String oid = row[0];
      String name = row[4];
      String typtype = row[2];
      Node node;
      switch (typtype) {
        case "e" -> {
          node = new Node(TYPE, name, 1, Phase.PRE);
          List<String> labels =
              Jdbc.queryStrings(
                  c,
                  "SELECT enumlabel FROM pg_catalog.pg_enum WHERE enumtypid = ?::oid"
                      + " ORDER BY enumsortorder",
                  oid);
          StringBuilder sb = new StringBuilder("CREATE TYPE " + name + " AS ENUM (");
          for (int i = 0; i < labels.size(); i++) {
            sb.append(i == 0 ? "" : ", ");
            sb.append(PostgresDialect.literal(labels.get(i)));
          }
          node.statements.add(sb.append(')').toString());
        }
        case "r" -> {
          node = new Node(TYPE, name, 1, Phase.PRE);
          String[] r =
              Jdbc.queryRow(
                  c,
                  "SELECT pg_catalog.format_type(r.rngsubtype, NULL),"
                      + " CASE WHEN r.rngsubdiff <> 0 THEN r.rngsubdiff::regproc::text END, "
                      + collationUnlessDefault(
                          "r.rngcollation",
                          "(SELECT typcollation FROM pg_catalog.pg_type WHERE oid = r.rngsubtype)")
                      + ", CASE WHEN NOT o.opcdefault THEN pg_catalog.quote_ident(o.opcname) END,"
                      + " CASE WHEN r.rngcanonical <> 0 THEN r.rngcanonical::regproc::text END"
                      + " FROM pg_catalog.pg_range r JOIN pg_catalog.pg_opclass o"
                      + " ON o.oid = r.rngsubopc WHERE r.rngtypid = ?::oid",
                  5,
                  oid);
          StringBuilder sb = new StringBuilder("CREATE TYPE " + name + " AS RANGE (subtype = ");
          sb.append(r[0]);
          if (r[3] != null) {
            sb.append(", subtype_opclass = ").append(r[3]);
          }
          if (r[2] != null) {
            sb.append(", collation = ").append(r[2]);
          }
          if (r[4] != null) {
            unsupported.add(
                "type "
                    + name
                    + ": a range type with a canonical function (needs a shell type and a C"
                    + " function)");
          }
          if (r[1] != null) {
            sb.append(", subtype_diff = ").append(r[1]);
          }
          if (serverVersion(c) >= 140000) {
            for (String[] multi :
                Jdbc.queryRows(
                    c,
                    "SELECT t.oid::text, t.typarray::text FROM pg_catalog.pg_range r"
                        + " JOIN pg_catalog.pg_type t ON t.oid = r.rngmultitypid"
                        + " WHERE r.rngtypid = ?::oid",
                    2,
                    oid)) {
              byKey.put("pg_type/" + multi[0], node);
              byKey.put("pg_type/" + multi[1], node);
            }
          }
          node.statements.add(sb.append(')').toString());
        }
        case "c" -> {
          node = new Node(TYPE, name, 1, Phase.PRE);
          byKey.put("pg_class/" + row[3], node);
          List<String[]> attributes =
              Jdbc.queryRows(
                  c,
                  "SELECT pg_catalog.quote_ident(a.attname),"
                      + " pg_catalog.format_type(a.atttypid, a.atttypmod), "
                      + collationUnlessDefault("a.attcollation", "t.typcollation")
                      + " FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t"
                      + " ON t.oid = a.atttypid WHERE a.attrelid = ?::oid"
                      + " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                  3,
                  row[3]);
          List<String> parts = new ArrayList<>();
          for (String[] a : attributes) {
            parts.add(a[0] + " " + a[1] + (a[2] == null ? "" : " COLLATE " + a[2]));
          }
          node.statements.add("CREATE TYPE " + name + " AS (" + String.join(", ", parts) + ")");
        }
        case "d" -> {
          node = new Node(DOMAIN, name, 1, Phase.PRE);
          String[] d =
              Jdbc.queryRow(
                  c,
                  "SELECT pg_catalog.format_type(t.typbasetype, t.typtypmod), "
                      + collationUnlessDefault("t.typcollation", "b.typcollation")
                      + ", pg_catalog.pg_get_expr(t.typdefaultbin, 0), t.typnotnull::text"
                      + " FROM pg_catalog.pg_type t JOIN pg_catalog.pg_type b"
                      + " ON b.oid = t.typbasetype WHERE t.oid = ?::oid",
                  4,
                  oid);
          StringBuilder sb = new StringBuilder("CREATE DOMAIN " + name + " AS " + d[0]);
          if (d[1] != null) {
            sb.append(" COLLATE ").append(d[1]);
          }
          if (d[2] != null) {
            sb.append(" DEFAULT ").append(d[2]);
          }
          if ("true".equals(d[3])) {
            sb.append(" NOT NULL");
          }
          for (String[] k :
              Jdbc.queryRows(
                  c,
                  "SELECT k.oid::text, pg_catalog.quote_ident(k.conname),"
                      + " pg_catalog.pg_get_constraintdef(k.oid) FROM pg_catalog.pg_constraint k"
                      + " WHERE k.contypid = ?::oid AND k.contype = 'c' ORDER BY k.conname",
                  3,
                  oid)) {
            byKey.put("pg_constraint/" + k[0], node);
            sb.append(" CONSTRAINT ").append(k[1]).append(' ').append(k[2]);
          }
          node.statements.add(sb.toString());
        }
        default -> {
          unsupported.add(
              "type "
                  + name
                  + ": a "
                  + (typtype.equals("b") ? "base type (C input/output functions)" : "pseudo-type")
                  + " is not carried by the engine");
          continue;
        }
      }
      byKey.put("pg_type/" + oid, node);
      byKey.put("pg_type/" + row[5], node); // its array type
      nodes.add(node);
    }

    // Functions and procedures.
    for (String[] row :
        Jdbc.queryRows(
            c,
            "SELECT p.oid::text, pg_catalog.quote_ident(p.proname)"
                + " || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')',"
                + " p.prokind::text, l.lanname,"
                + (serverVersion(c) >= 140000 ? " (p.prosqlbody IS NOT NULL)::text" : " 'false'")
                + " FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_language l"
                + " ON l.oid = p.prolang WHERE p.pronamespace = "
                + ns
                + notMember("pg_proc", "p.oid")
                // A range type's constructors come with the type.
                + " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i"
                + " WHERE i.classid = 'pg_catalog.pg_proc'::regclass AND i.objid = p.oid"
                + " AND i.deptype = 'i')"
                + " ORDER BY 2",
            5)) {
      String kind = row[2].equals("p") ? PROCEDURE : FUNCTION;
      if (!row[2].equals("f") && !row[2].equals("p")) {
        unsupported.add(
            (row[2].equals("a") ? "aggregate " : "window function ")
                + row[1]
                + ": aggregates and window functions are not carried by the engine");
        continue;
      }
      if (!row[3].equals("sql") && !row[3].equals("plpgsql")) {
        unsupported.add(
            kind
                + " "
                + row[1]
                + ": language "
                + row[3]
                + " is not carried (only sql and plpgsql functions are)");
        continue;
      }
      if (row[4].equals("true")) {
        unsupported.add(
            kind
                + " "
                + row[1]
                + ": a SQL-standard body (BEGIN ATOMIC / RETURN) is not carried; define it"
                + " with AS $$ ... $$ instead");
        continue;
      }
      Node node = new Node(kind, row[1], 2, Phase.PRE);
      String definition =
          Jdbc.queryString(c, "SELECT pg_catalog.pg_get_functiondef(" + row[0] + "::oid)");
      node.statements.add(unqualifiedRoutine(definition.strip(), schema));
      byKey.put("pg_proc/" + row[0], node);
      nodes.add(node);
    }

    // Views and materialized views.
    for (String[] row :
        Jdbc.queryRows(
            c,
            "SELECT c.oid::text, pg_catalog.quote_ident(c.relname), c.relkind::text,"
                + " pg_catalog.pg_get_viewdef(c.oid), c.reltype::text,"
                + " pg_catalog.array_to_string(c.reloptions, ', '), c.relispopulated::text,"
                + " (SELECT r.oid::text FROM pg_catalog.pg_rewrite r WHERE r.ev_class = c.oid"
                + " AND r.rulename = '_RETURN')"
                + " FROM pg_catalog.pg_class c WHERE c.relnamespace = "
                + ns
                + " AND c.relkind IN ('v', 'm')"
                + notMember("pg_class", "c.oid")
                + " ORDER BY 2",
            8)) {
      boolean materialized = row[2].equals("m");
      Node node = new Node(materialized ? MATERIALIZED_VIEW : VIEW, row[1], 3, Phase.POST);
      String query = row[3].strip();
      if (query.endsWith(";")) {
        query = query.substring(0, query.length() - 1);
      }
      String options = row[5] == null || row[5].isEmpty() ? "" : " WITH (" + row[5] + ")";
      if (materialized) {
        node.statements.add(
            "CREATE MATERIALIZED VIEW " + row[1] + options + " AS\n" + query + "\nWITH NO DATA");
        if (row[6].equals("true")) {
          node.statements.add("REFRESH MATERIALIZED VIEW " + row[1]);
        }
        for (String index :
            Jdbc.queryStrings(
                c,
                "SELECT pg_catalog.pg_get_indexdef(i.indexrelid) FROM pg_catalog.pg_index i"
                    + " WHERE i.indrelid = ?::oid ORDER BY 1",
                row[0])) {
          node.statements.add(PostgresDialect.unqualifiedIndexDefinition(index));
        }
      } else {
        node.statements.add("CREATE VIEW " + row[1] + options + " AS\n" + query);
      }
      byKey.put("pg_class/" + row[0], node);
      byKey.put("pg_type/" + row[4], node);
      if (row[7] != null) {
        byKey.put("pg_rewrite/" + row[7], node);
      }
      nodes.add(node);
      tables.putIfAbsent(Long.parseLong(row[0]), row[1]); // their triggers and comments
    }

    // Dependencies between the objects (and on the tables).
    for (String[] row :
        Jdbc.queryRows(
            c,
            "SELECT cc.relname || '/' || d.objid, rc.relname || '/' || d.refobjid"
                + " FROM pg_catalog.pg_depend d"
                + " JOIN pg_catalog.pg_class cc ON cc.oid = d.classid"
                + " JOIN pg_catalog.pg_class rc ON rc.oid = d.refclassid"
                + " WHERE d.deptype IN ('n', 'a') AND d.objid >= 16384",
            2)) {
      Node from = byKey.get(row[0]);
      Node to = byKey.get(row[1]);
      if (from != null && to != null && from != to) {
        from.needs.add(to);
      }
    }
    for (Node node : nodes) {
      if (node.kind.equals(EXTENSION)) {
        continue;
      }
      node.needs.addAll(extensions);
    }
    for (Node node : nodes) {
      for (Node need : node.needs) {
        if (leftOut.containsKey(need)) {
          unsupported.add(
              node.kind
                  + " "
                  + node.name
                  + ": depends on table "
                  + leftOut.get(need)
                  + ", which --include/--exclude leaves out of the backup");
        }
      }
    }
    for (Node node : nodes) {
      if (node.phase == Phase.PRE && dependsOn(node, Phase.TABLE, new HashSet<>())) {
        node.phase = Phase.POST; // a function over a table's row type: after the tables
      }
    }

    // What the engine does not carry at all: refused rather than lost.
    for (String[] row :
        Jdbc.queryRows(
            c,
            "SELECT CASE c.relkind WHEN 'p' THEN 'partitioned table ' WHEN 'f' THEN"
                + " 'foreign table ' ELSE 'table ' END || pg_catalog.quote_ident(c.relname),"
                + " CASE c.relkind WHEN 'p' THEN 'partitioned tables and their partitions'"
                + " WHEN 'f' THEN 'foreign tables' ELSE 'partitions' END"
                + " FROM pg_catalog.pg_class c WHERE c.relnamespace = "
                + ns
                + " AND (c.relkind IN ('p', 'f') OR (c.relkind = 'r' AND c.relispartition))"
                + notMember("pg_class", "c.oid")
                + " UNION ALL SELECT 'autovacuum_enabled of table '"
                + " || pg_catalog.quote_ident(c.relname), 'per-table autovacuum_enabled settings'"
                + " FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_class t"
                + " ON t.oid = c.reltoastrelid WHERE c.relnamespace = "
                + ns
                + " AND c.relkind = 'r' AND (pg_catalog.array_to_string(c.reloptions, ',')"
                + " ~ '(^|,)autovacuum_enabled=' OR pg_catalog.array_to_string(t.reloptions, ',')"
                + " ~ '(^|,)autovacuum_enabled=')"
                + " UNION ALL SELECT 'unlogged table ' || pg_catalog.quote_ident(c.relname),"
                + " 'unlogged tables' FROM pg_catalog.pg_class c WHERE c.relnamespace = "
                + ns
                + " AND c.relkind = 'r' AND c.relpersistence = 'u'"
                + " UNION ALL SELECT 'policy ' || pg_catalog.quote_ident(p.polname) || ' on '"
                + " || pg_catalog.quote_ident(c.relname), 'row-level security policies'"
                + " FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid"
                + " WHERE c.relnamespace = "
                + ns
                + " UNION ALL SELECT 'row-level security on ' || pg_catalog.quote_ident(c.relname),"
                + " 'row-level security settings' FROM pg_catalog.pg_class c"
                + " WHERE c.relnamespace = "
                + ns
                + " AND (c.relrowsecurity OR c.relforcerowsecurity)"
                + " UNION ALL SELECT 'rule ' || pg_catalog.quote_ident(r.rulename) || ' on '"
                + " || pg_catalog.quote_ident(c.relname), 'rules (other than views'')'"
                + " FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class"
                + " WHERE c.relnamespace = "
                + ns
                + " AND r.rulename <> '_RETURN'"
                + " UNION ALL SELECT 'statistics ' || pg_catalog.quote_ident(x.stxname),"
                + " 'extended statistics objects' FROM pg_catalog.pg_statistic_ext x"
                + " WHERE x.stxnamespace = "
                + ns
                + " UNION ALL SELECT 'collation ' || pg_catalog.quote_ident(o.collname),"
                + " 'collations' FROM pg_catalog.pg_collation o WHERE o.collnamespace = "
                + ns
                + notMember("pg_collation", "o.oid")
                + " UNION ALL SELECT 'operator ' || o.oid::regoperator::text, 'operators'"
                + " FROM pg_catalog.pg_operator o WHERE o.oprnamespace = "
                + ns
                + notMember("pg_operator", "o.oid")
                + " ORDER BY 1",
            2)) {
      unsupported.add(row[0] + ": " + row[1] + " are not carried by the engine");
    }

    List<Node> ordered = order(nodes);
    for (Node node : ordered) {
      (node.phase == Phase.PRE ? preData : postData).addAll(node.statements);
      objects.add(new SchemaObject(node.kind, node.name));
    }

    // Per-column statistics targets and storage modes set by a DBA.
    for (String[] row :
        Jdbc.queryRows(
            c,
            "SELECT a.attrelid::text, pg_catalog.quote_ident(r.relname),"
                + " pg_catalog.quote_ident(a.attname), a.attstattarget::text,"
                + " CASE WHEN a.attstorage <> t.typstorage THEN CASE a.attstorage"
                + " WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN'"
                + " ELSE 'EXTENDED' END END"
                + " FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class r ON r.oid = a.attrelid"
                + " JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
                + " WHERE r.relnamespace = "
                + ns
                + " AND r.relkind IN ('r', 'm') AND a.attnum > 0 AND NOT a.attisdropped"
                + " AND (COALESCE(a.attstattarget, -1) >= 0 OR a.attstorage <> t.typstorage)"
                + " ORDER BY 2, 3",
            5)) {
      if (!tables.containsKey(Long.parseLong(row[0]))) {
        continue;
      }
      String column = "ALTER TABLE ONLY " + row[1] + " ALTER COLUMN " + row[2];
      if (row[3] != null && Integer.parseInt(row[3]) >= 0) {
        postData.add(column + " SET STATISTICS " + row[3]);
      }
      if (row[4] != null) {
        postData.add(column + " SET STORAGE " + row[4]);
      }
    }

    // Triggers of the carried tables and views: after the rows, so they do not fire on them.
    for (String[] row :
        Jdbc.queryRows(
            c,
            "SELECT t.tgrelid::text, pg_catalog.quote_ident(t.tgname), pg_catalog.quote_ident(r.relname),"
                + " pg_catalog.pg_get_triggerdef(t.oid, true), t.tgenabled::text"
                + " FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class r ON r.oid = t.tgrelid"
                + " WHERE r.relnamespace = "
                + ns
                + " AND NOT t.tgisinternal ORDER BY 3, 2",
            5)) {
      if (!tables.containsKey(Long.parseLong(row[0]))) {
        continue;
      }
      postData.add(row[3]);
      if (row[4].equals("D")) {
        postData.add("ALTER TABLE ONLY " + row[2] + " DISABLE TRIGGER " + row[1]);
      } else if (!row[4].equals("O")) {
        unsupported.add(
            "trigger "
                + row[1]
                + " on "
                + row[2]
                + ": session_replication_role settings (ENABLE REPLICA/ALWAYS) are not carried");
      }
      objects.add(new SchemaObject(TRIGGER, row[1] + " on " + row[2]));
    }

    // Comments on what the dump carries.
    Map<String, String> described = new LinkedHashMap<>();
    for (String[] row :
        Jdbc.queryRows(
            c,
            "SELECT CASE c.relkind WHEN 'v' THEN 'VIEW ' WHEN 'm' THEN 'MATERIALIZED VIEW '"
                + " WHEN 'S' THEN 'SEQUENCE ' WHEN 'i' THEN 'INDEX ' ELSE 'TABLE ' END"
                + " || pg_catalog.quote_ident(c.relname), d.description, c.oid::text,"
                + " c.relkind::text, COALESCE(i.indrelid, 0)::text"
                + " FROM pg_catalog.pg_description d JOIN pg_catalog.pg_class c"
                + " ON d.classoid = 'pg_catalog.pg_class'::regclass AND d.objoid = c.oid"
                + " LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid"
                + " WHERE c.relnamespace = "
                + ns
                + " AND d.objsubid = 0"
                + " UNION ALL SELECT 'COLUMN ' || pg_catalog.quote_ident(c.relname) || '.'"
                + " || pg_catalog.quote_ident(a.attname), d.description, c.oid::text,"
                + " c.relkind::text, '0'"
                + " FROM pg_catalog.pg_description d JOIN pg_catalog.pg_class c"
                + " ON d.classoid = 'pg_catalog.pg_class'::regclass AND d.objoid = c.oid"
                + " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid"
                + " WHERE c.relnamespace = "
                + ns
                + " AND d.objsubid > 0 AND c.relkind <> 'c'",
            5)) {
      long owner = Long.parseLong(row[4].equals("0") ? row[2] : row[4]);
      boolean sequence = row[3].equals("S");
      if (!sequence && !tables.containsKey(owner)) {
        continue;
      }
      described.put(row[0], row[1]);
    }
    for (String[] row :
        Jdbc.queryRows(
            c,
            "SELECT CASE WHEN t.typtype = 'd' THEN 'DOMAIN ' ELSE 'TYPE ' END"
                + " || pg_catalog.format_type(t.oid, NULL), d.description"
                + " FROM pg_catalog.pg_description d JOIN pg_catalog.pg_type t"
                + " ON d.classoid = 'pg_catalog.pg_type'::regclass AND d.objoid = t.oid"
                + " WHERE t.typnamespace = "
                + ns
                + notMember("pg_type", "t.oid")
                + " UNION ALL SELECT 'COLUMN ' || pg_catalog.format_type(t.oid, NULL) || '.'"
                + " || pg_catalog.quote_ident(a.attname), d.description"
                + " FROM pg_catalog.pg_description d JOIN pg_catalog.pg_class c"
                + " ON d.classoid = 'pg_catalog.pg_class'::regclass AND d.objoid = c.oid"
                + " JOIN pg_catalog.pg_type t ON t.typrelid = c.oid"
                + " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid"
                + " WHERE c.relnamespace = "
                + ns
                + " AND c.relkind = 'c'"
                + " UNION ALL SELECT CASE WHEN p.prokind = 'p' THEN 'PROCEDURE ' ELSE 'FUNCTION '"
                + " END || pg_catalog.quote_ident(p.proname) || '('"
                + " || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')', d.description"
                + " FROM pg_catalog.pg_description d JOIN pg_catalog.pg_proc p"
                + " ON d.classoid = 'pg_catalog.pg_proc'::regclass AND d.objoid = p.oid"
                + " WHERE p.pronamespace = "
                + ns
                + notMember("pg_proc", "p.oid")
                + " UNION ALL SELECT 'CONSTRAINT ' || pg_catalog.quote_ident(k.conname) || ' ON '"
                + " || CASE WHEN k.contypid <> 0 THEN 'DOMAIN ' || pg_catalog.format_type(k.contypid,"
                + " NULL) ELSE pg_catalog.quote_ident(r.relname) END, d.description"
                + " FROM pg_catalog.pg_description d JOIN pg_catalog.pg_constraint k"
                + " ON d.classoid = 'pg_catalog.pg_constraint'::regclass AND d.objoid = k.oid"
                + " LEFT JOIN pg_catalog.pg_class r ON r.oid = k.conrelid"
                + " WHERE k.connamespace = "
                + ns
                + " UNION ALL SELECT 'TRIGGER ' || pg_catalog.quote_ident(g.tgname) || ' ON '"
                + " || pg_catalog.quote_ident(r.relname), d.description"
                + " FROM pg_catalog.pg_description d JOIN pg_catalog.pg_trigger g"
                + " ON d.classoid = 'pg_catalog.pg_trigger'::regclass AND d.objoid = g.oid"
                + " JOIN pg_catalog.pg_class r ON r.oid = g.tgrelid WHERE r.relnamespace = "
                + ns,
            2)) {
      described.put(row[0], row[1]);
    }
    for (Map.Entry<String, String> comment : described.entrySet()) {
      comments.add(
          "COMMENT ON " + comment.getKey() + " IS " + PostgresDialect.literal(comment.getValue()));
      objects.add(
          new SchemaObject(COMMENT, "on " + comment.getKey().toLowerCase(java.util.Locale.ROOT)));
    }
  }

  private static boolean dependsOn(Node node, Phase phase, Set<Node> seen) {
    for (Node need : node.needs) {
      if (need.phase == phase || (seen.add(need) && dependsOn(need, phase, seen))) {
        return true;
      }
    }
    return false;
  }

  /** Dependency order (Kahn); ties by kind rank and name; a cycle keeps catalog order. */
  private static List<Node> order(List<Node> nodes) {
    Map<Node, Integer> waiting = new HashMap<>();
    Map<Node, List<Node>> dependents = new HashMap<>();
    Comparator<Node> tie =
        Comparator.<Node>comparingInt(n -> n.phase.ordinal())
            .thenComparingInt(n -> n.rank)
            .thenComparing(n -> n.name);
    PriorityQueue<Node> ready = new PriorityQueue<>(tie);
    Set<Node> all = new HashSet<>(nodes);
    for (Node node : nodes) {
      int count = 0;
      for (Node need : node.needs) {
        if (all.contains(need)) {
          count++;
          dependents.computeIfAbsent(need, k -> new ArrayList<>()).add(node);
        }
      }
      waiting.put(node, count);
      if (count == 0) {
        ready.add(node);
      }
    }
    List<Node> result = new ArrayList<>();
    while (!ready.isEmpty()) {
      Node next = ready.poll();
      result.add(next);
      for (Node dependent : dependents.getOrDefault(next, List.of())) {
        if (waiting.merge(dependent, -1, Integer::sum) == 0) {
          ready.add(dependent);
        }
      }
    }
    for (Node node : nodes) {
      if (!result.contains(node)) {
        result.add(node); // a cycle: PostgreSQL will say which statement fails
      }
    }
    return result;
  }

  private static long serverVersion(Connection c) throws SQLException {
    return Jdbc.queryLong(c, "SHOW server_version_num");
  }

  /**
   * pg_get_functiondef always qualifies the routine's name with its schema; the dump is
   * schema-agnostic, so the qualification is dropped.
   */
  static String unqualifiedRoutine(String definition, String schema) {
    String qualified = Pattern.quote(postgresIdentifier(schema) + ".");
    String plain = Pattern.quote(schema + ".");
    return definition.replaceFirst(
        "^(CREATE OR REPLACE (?:FUNCTION|PROCEDURE) )(?:" + qualified + "|" + plain + ")", "$1");
  }
}
