package io.metadataops.controller.backup;

import java.util.Locale;

/** Sizes as people read them in `kubectl get`. */
final class ByteSizes {

  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

  private ByteSizes() {}

  static String human(long bytes) {
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
  }
}
