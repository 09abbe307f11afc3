package dev.jtorrent.daemon.web;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Level;

/**
 * Debian's headless chromium, driven through its chromedriver by Selenium, kept on loopback.
 *
 * <p>Both come from Debian ({@code apt-get install chromium chromium-driver}, in {@code .ci/run}); Selenium is given
 * their paths, so its Selenium Manager never looks for (or downloads) a browser or a driver. A missing one aborts the
 * test with the line that installs it, and fails it under {@code CI=true}, as the interop tests do.
 *
 * <p>The browser reaches nothing but loopback: every name resolves to nothing but {@code localhost} ({@code
 * --host-resolver-rules}), anything that is not loopback goes to a proxy on a closed loopback port, and its own
 * background traffic (updates, sync, metrics, safe browsing) is off.
 */
final class Chromium {
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {
    }

    /** A new headless browser with its window {@code width} by {@code height}, its profile under {@code profile}. */
    static ChromeDriver start(Path profile, int width, int height) throws IOException {
        require(BROWSER, "chromium");
        require(DRIVER, "chromium-driver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createDirectories(profile),
                "--window-size=" + width + "," + height, "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--disable-domain-reliability",
                "--disable-client-side-phishing-detection", "--no-pings", "--metrics-recording-only",
                "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
                "--proxy-server=http://127.0.0.1:9", "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(width, height));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        return driver;
    }

    private static void require(Path executable, String debianPackage) {
        if (Files.isExecutable(executable)) {
            return;
        }
        String missing = executable + " is missing: apt-get install " + debianPackage;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(missing + " (CI=true: a test whose prerequisite is missing fails)");
        }
        Assumptions.abort(missing + " (the test runs where this is met; under CI=true it fails where it is not)");
    }
}
