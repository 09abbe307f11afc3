package dev.jtorrent.session;

import dev.jtorrent.budget.SessionBudgets;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The session-wide limits of {@link SessionConfig}: their defaults, the budgets they make, and bad values. */
class SessionConfigLimitsTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void defaultsAreLibtorrentsConnectionLimitAndNoRateLimits() {
        SessionConfig config = SessionConfig.builder().build();
        assertThat(config.maxConnections()).isEqualTo(200);
        assertThat(config.maxHalfOpen()).isEqualTo(100);
        assertThat(config.maxInFlightBytes()).isEqualTo(256 * MIB);
        assertThat(config.readCacheBytes()).isEqualTo(128 * MIB);
        assertThat(config.uploadLimit()).isZero();
        assertThat(config.downloadLimit()).isZero();
        SessionBudgets budgets = config.budgets();
        assertThat(budgets.connections().limit()).isEqualTo(200);
        assertThat(budgets.upload().isUnlimited()).isTrue();
        assertThat(budgets.download().isUnlimited()).isTrue();
    }

    @Test
    void eachLimitIsSetAndKeptThroughToBuilder() {
        SessionConfig config = SessionConfig.builder().maxConnections(10).maxHalfOpen(3).maxInFlightBytes(MIB)
                .readCacheBytes(2 * MIB).uploadLimit(1000).downloadLimit(2000).build().toBuilder().port(0).build();
        SessionBudgets budgets = config.budgets();
        assertThat(budgets.connections().limit()).isEqualTo(10);
        assertThat(budgets.halfOpen().limit()).isEqualTo(3);
        assertThat(budgets.inFlight().limit()).isEqualTo(MIB);
        assertThat(budgets.readCache().limit()).isEqualTo(2 * MIB);
        assertThat(budgets.upload().bytesPerSecond()).isEqualTo(1000);
        assertThat(budgets.download().bytesPerSecond()).isEqualTo(2000);
        assertThat(config.toString()).contains("maxConnections=10", "downloadLimit=2000");
    }

    @Test
    void aBadLimitIsRefusedWithItsNameAndValue() {
        SessionConfig.Builder builder = SessionConfig.builder();
        assertThatThrownBy(() -> builder.maxConnections(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxConnections must be at least 1: 0");
        assertThatThrownBy(() -> builder.maxHalfOpen(-1)).hasMessage("maxHalfOpen must be at least 1: -1");
        assertThatThrownBy(() -> builder.maxInFlightBytes(0)).hasMessage("maxInFlightBytes must be at least 1: 0");
        assertThatThrownBy(() -> builder.readCacheBytes(0)).hasMessage("readCacheBytes must be at least 1: 0");
        assertThatThrownBy(() -> builder.uploadLimit(-1)).hasMessage("uploadLimit must not be negative: -1");
        assertThatThrownBy(() -> builder.downloadLimit(-2)).hasMessage("downloadLimit must not be negative: -2");
        assertThat(builder.build().maxConnections()).isEqualTo(200); // nothing was changed by the refusals
    }
}
