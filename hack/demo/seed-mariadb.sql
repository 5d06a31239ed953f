-- An OpenMetadata-like database at schema version 1.4.8, for `make demo` (hack/demo/demo.sh).
-- Same shapes as OpenMetadata's MySQL schema: entity tables keep the entity as JSON and derive
-- id/name/deleted/updatedAt from it in GENERATED columns; relationships, tag usage, change events
-- and SERVER_CHANGE_LOG (the applied migrations). Entities have an `owner` (the 1.5 migration
-- turns it into `owners`). Uses MariaDB's sequence engine (seq_1_to_N).
DROP DATABASE IF EXISTS openmetadata_demo;
CREATE DATABASE openmetadata_demo CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'openmetadata_user'@'%' IDENTIFIED BY 'openmetadata-demo-pw';
CREATE USER IF NOT EXISTS 'openmetadata_user'@'localhost' IDENTIFIED BY 'openmetadata-demo-pw';
GRANT ALL PRIVILEGES ON openmetadata_demo.* TO 'openmetadata_user'@'%';
GRANT ALL PRIVILEGES ON openmetadata_demo.* TO 'openmetadata_user'@'localhost';
-- The upgrade's pre-flight (and spec.verify of a backup) restores into a scratch database named
-- mdverify_<12 characters of a uid>, created and dropped by the verification.
GRANT ALL PRIVILEGES ON `mdverify\_%`.* TO 'openmetadata_user'@'%';
GRANT ALL PRIVILEGES ON `mdverify\_%`.* TO 'openmetadata_user'@'localhost';
-- inspect/backup read the server version and a consistent snapshot: PROCESS/RELOAD are not needed.
FLUSH PRIVILEGES;
USE openmetadata_demo;

CREATE TABLE user_entity (
  id VARCHAR(36) GENERATED ALWAYS AS (json_unquote(json_extract(json, '$.id'))) STORED,
  json JSON NOT NULL,
  name VARCHAR(256) GENERATED ALWAYS AS (json_unquote(json_extract(json, '$.name'))) VIRTUAL,
  nameHash VARCHAR(256) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  deleted TINYINT(1) GENERATED ALWAYS AS (json_unquote(json_extract(json, '$.deleted')) = 'true') VIRTUAL,
  updatedAt BIGINT UNSIGNED GENERATED ALWAYS AS (json_unquote(json_extract(json, '$.updatedAt'))) STORED,
  UNIQUE KEY (id), UNIQUE KEY (nameHash), KEY (name)
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE table_entity (
  id VARCHAR(36) NOT NULL,
  json JSON NOT NULL,
  name VARCHAR(256) GENERATED ALWAYS AS (json_unquote(json_extract(json, '$.name'))) VIRTUAL,
  fqnHash VARCHAR(768) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  deleted TINYINT(1) GENERATED ALWAYS AS (json_unquote(json_extract(json, '$.deleted')) = 'true') VIRTUAL,
  updatedAt BIGINT UNSIGNED GENERATED ALWAYS AS (json_unquote(json_extract(json, '$.updatedAt'))) STORED,
  PRIMARY KEY (id), UNIQUE KEY unique_fqn (fqnHash), KEY idx_name (name), KEY idx_updated (updatedAt)
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE entity_relationship (
  fromId VARCHAR(36) NOT NULL, toId VARCHAR(36) NOT NULL,
  fromEntity VARCHAR(256) NOT NULL, toEntity VARCHAR(256) NOT NULL,
  relation TINYINT NOT NULL, jsonSchema VARCHAR(256), json JSON, deleted BOOLEAN NOT NULL DEFAULT FALSE,
  PRIMARY KEY (fromId, toId, relation), KEY (toId)
);

CREATE TABLE tag_usage (
  source TINYINT NOT NULL, tagFQN VARCHAR(256) NOT NULL, tagFQNHash VARCHAR(382) NOT NULL,
  targetFQNHash VARCHAR(382) NOT NULL, labelType TINYINT NOT NULL, state TINYINT NOT NULL,
  UNIQUE KEY (source, tagFQNHash, targetFQNHash)
);

CREATE TABLE change_event (
  eventType VARCHAR(36) GENERATED ALWAYS AS (json_unquote(json_extract(json, '$.eventType'))) VIRTUAL,
  entityType VARCHAR(36) GENERATED ALWAYS AS (json_unquote(json_extract(json, '$.entityType'))) VIRTUAL,
  eventTime BIGINT UNSIGNED GENERATED ALWAYS AS (json_unquote(json_extract(json, '$.timestamp'))) VIRTUAL,
  json JSON NOT NULL, `offset` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY
);

CREATE TABLE SERVER_CHANGE_LOG (
  installed_rank INT NOT NULL AUTO_INCREMENT, version VARCHAR(256) NOT NULL,
  migrationFileName VARCHAR(256) NOT NULL, checksum VARCHAR(256) NOT NULL,
  installed_on TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (installed_rank), UNIQUE KEY (version)
);

-- 20 users
INSERT INTO user_entity (json, nameHash)
SELECT JSON_OBJECT('id', uid, 'name', CONCAT('user', seq), 'email', CONCAT('user', seq, '@example.com'),
                   'displayName', CONCAT('User ', seq), 'isAdmin', seq = 1, 'deleted', FALSE,
                   'updatedAt', 1732000000000 + seq, 'version', 0.1),
       MD5(CONCAT('user', seq))
FROM (SELECT seq, INSERT(INSERT(INSERT(INSERT(MD5(CONCAT('u', seq)), 9, 0, '-'), 14, 0, '-'), 19, 0, '-'), 24, 0, '-') AS uid
      FROM seq_1_to_20) u;

-- 300 tables, each owned by a user, with columns and a description containing quotes and unicode
INSERT INTO table_entity (id, json, fqnHash)
SELECT tid,
       JSON_OBJECT('id', tid, 'name', CONCAT('orders_', seq),
                   'fullyQualifiedName', CONCAT('mysql_prod.shop.sales.orders_', seq),
                   'description', CONCAT('Orders of shop "', seq, '" – owner''s copy'),
                   'tableType', 'Regular', 'deleted', FALSE, 'updatedAt', 1732100000000 + seq, 'version', 0.1,
                   'owner', JSON_OBJECT('id', INSERT(INSERT(INSERT(INSERT(MD5(CONCAT('u', 1 + seq % 20)), 9, 0, '-'), 14, 0, '-'), 19, 0, '-'), 24, 0, '-'),
                                        'type', 'user', 'name', CONCAT('user', 1 + seq % 20)),
                   'columns', JSON_ARRAY(JSON_OBJECT('name', 'id', 'dataType', 'BIGINT'),
                                         JSON_OBJECT('name', 'amount', 'dataType', 'DECIMAL'),
                                         JSON_OBJECT('name', 'created_at', 'dataType', 'TIMESTAMP'))),
       MD5(CONCAT('mysql_prod.shop.sales.orders_', seq))
FROM (SELECT seq, INSERT(INSERT(INSERT(INSERT(MD5(CONCAT('t', seq)), 9, 0, '-'), 14, 0, '-'), 19, 0, '-'), 24, 0, '-') AS tid
      FROM seq_1_to_300) t;

-- user OWNS table (relation 8 in OpenMetadata)
INSERT INTO entity_relationship (fromId, toId, fromEntity, toEntity, relation)
SELECT json_unquote(json_extract(json, '$.owner.id')), id, 'user', 'table', 8 FROM table_entity;

INSERT INTO tag_usage (source, tagFQN, tagFQNHash, targetFQNHash, labelType, state)
SELECT 0, IF(seq % 3 = 0, 'PII.Sensitive', 'Tier.Tier2'), MD5(IF(seq % 3 = 0, 'PII.Sensitive', 'Tier.Tier2')),
       MD5(CONCAT('mysql_prod.shop.sales.orders_', seq)), 0, 1
FROM seq_1_to_300;

INSERT INTO change_event (json)
SELECT JSON_OBJECT('eventType', 'entityCreated', 'entityType', 'table', 'timestamp', 1732100000000 + seq,
                   'entityFullyQualifiedName', CONCAT('mysql_prod.shop.sales.orders_', seq), 'userName', 'ingestion-bot')
FROM seq_1_to_300;

INSERT INTO SERVER_CHANGE_LOG (version, migrationFileName, checksum, installed_on) VALUES
  ('1.1.0', 'bootstrap/sql/migrations/native/1.1.0/mysql/schemaChanges.sql', 'a1b2c3', '2024-01-10 10:00:00'),
  ('1.2.0', 'bootstrap/sql/migrations/native/1.2.0/mysql/schemaChanges.sql', 'b2c3d4', '2024-03-10 10:00:00'),
  ('1.3.0', 'bootstrap/sql/migrations/native/1.3.0/mysql/schemaChanges.sql', 'c3d4e5', '2024-05-10 10:00:00'),
  ('1.4.0', 'bootstrap/sql/migrations/native/1.4.0/mysql/schemaChanges.sql', 'd4e5f6', '2024-07-10 10:00:00'),
  ('1.4.8', 'bootstrap/sql/migrations/native/1.4.8/mysql/schemaChanges.sql', 'e5f6a7', '2024-09-10 10:00:00');
