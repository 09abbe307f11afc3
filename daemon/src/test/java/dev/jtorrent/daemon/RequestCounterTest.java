package dev.jtorrent.daemon;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class RequestCounterTest {
    @ParameterizedTest
    @CsvSource({
            "200, SUCCESS", "204, SUCCESS", "301, SUCCESS", "399, SUCCESS",
            "401, DENIED", "403, DENIED", "421, DENIED",
            "400, CLIENT_ERROR", "404, CLIENT_ERROR", "405, CLIENT_ERROR", "409, CLIENT_ERROR", "413, CLIENT_ERROR",
            "500, SERVER_ERROR", "503, SERVER_ERROR", "0, SERVER_ERROR", "99, SERVER_ERROR", "600, SERVER_ERROR",
    })
    void sortsEachStatusIntoOneResult(int status, RequestCounter.Result result) {
        assertThat(RequestCounter.Result.of(status)).isEqualTo(result);
    }

    @ParameterizedTest
    @CsvSource({"TRANSMISSION, 409", "QBITTORRENT, 200", "WEB, 503"})
    void countsEachApiAndResultApart(RequestCounter.Api api, int status) {
        RequestCounter counter = new RequestCounter();

        counter.count(api, status);
        counter.count(api, status);

        for (RequestCounter.Api a : RequestCounter.Api.values()) {
            for (RequestCounter.Result r : RequestCounter.Result.values()) {
                assertThat(counter.count(a, r)).isEqualTo(a == api && r == RequestCounter.Result.of(status) ? 2 : 0);
            }
        }
    }
}
