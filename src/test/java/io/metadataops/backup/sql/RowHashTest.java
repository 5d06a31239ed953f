package io.metadataops.backup.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("unit")
class RowHashTest {

  /** Expected values from the reference implementation (Python mmh3.hash64(key, 0, True)). */
  @ParameterizedTest(name = "bytes {0}")
  @CsvSource({
    "'', 0, 0",
    "68656c6c6f, -3758069500696749310, 6565844092913065241",
    "616161616161616161616161616161, 9009355242376953788, -8095215611499513511",
    "61616161616161616161616161616161, -954455200256842034, 7707615007234734402",
    "6161616161616161616161616161616161, 8030503933958084248, -6557878416390052421",
    "4772c3bc c39f6520 f09f8e89 205c, 2872127981386025855, -3274127774129315578",
  })
  void murmur3MatchesTheReference(String hex, long h1, long h2) {
    byte[] key = HexFormat.of().parseHex(hex.replace(" ", ""));
    assertThat(murmur(key, key.length)).containsExactly(h1, h2);
  }

  @Test
  void murmur3OfAllByteValuesMatchesTheReference() {
    byte[] key = new byte[256];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) i;
    }
    assertThat(murmur(key, key.length)).containsExactly(2060892794568774329L, 8130694422178614302L);
  }

  /** A row fed in pieces of any sizes, single bytes included, hashes as the whole row does. */
  @Test
  void piecesHashLikeTheWholeRow() {
    Random random = new Random(7);
    for (int round = 0; round < 200; round++) {
      byte[] row = new byte[random.nextInt(300)];
      random.nextBytes(row);
      for (RowHash hash : new RowHash[] {new Murmur3RowHash(), new Sha256RowHash()}) {
        long[] whole = new long[hash.lanes()];
        hash.update(row, 0, row.length);
        hash.finishInto(whole);
        long[] pieces = new long[hash.lanes()];
        int at = 0;
        while (at < row.length) {
          if (random.nextInt(4) == 0) {
            hash.update(row[at++]);
          } else {
            int n = Math.min(row.length - at, random.nextInt(40));
            hash.update(row, at, n);
            at += n;
          }
        }
        hash.finishInto(pieces);
        assertThat(pieces).as("%s of %d bytes", hash, row.length).containsExactly(whole);
      }
    }
  }

  @Test
  void tableChecksumIsAnOrderIndependentSumThatCountsDuplicates() {
    for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
      TableDigest forward = digest(algorithm, "a", "b", "b");
      assertThat(forward.checksum()).isEqualTo(digest(algorithm, "b", "a", "b").checksum());
      assertThat(forward.checksum()).isNotEqualTo(digest(algorithm, "a", "b").checksum());
      assertThat(forward.checksum()).isNotEqualTo(digest(algorithm, "a", "b", "c").checksum());
      assertThat(forward.checksum()).hasSize(algorithm == ChecksumAlgorithm.CURRENT ? 32 : 64);
      TableDigest split = digest(algorithm, "a").add(digest(algorithm, "b", "b"));
      assertThat(split.checksum()).isEqualTo(forward.checksum());
      assertThat(split.rows()).isEqualTo(3);
    }
  }

  /** sha256-multiset-v1 stays what backups written with it hold: lanes of each row's SHA-256. */
  @Test
  void formerAlgorithmKeepsItsDefinition() {
    // SHA-256("abc") = ba7816bf8f01cfea 414140de5dae2223 b00361a396177a9c b410ff61f20015ad
    assertThat(digest(ChecksumAlgorithm.SHA256_MULTISET_V1, "abc").checksum())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  private static TableDigest digest(ChecksumAlgorithm algorithm, String... rows) {
    TableDigest digest = new TableDigest(algorithm);
    for (String row : rows) {
      byte[] bytes = row.getBytes(StandardCharsets.UTF_8);
      digest.wholeRow(bytes, 0, bytes.length);
    }
    return digest;
  }

  private static long[] murmur(byte[] key, int length) {
    long[] lanes = new long[2];
    Murmur3RowHash hash = new Murmur3RowHash();
    hash.update(key, 0, length);
    hash.finishInto(lanes);
    return lanes;
  }
}
