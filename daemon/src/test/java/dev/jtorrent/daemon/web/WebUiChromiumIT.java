package dev.jtorrent.daemon.web;

import dev.jtorrent.daemon.Daemon;
import dev.jtorrent.daemon.DaemonConfig;
import dev.jtorrent.daemon.DaemonTorrent;
import dev.jtorrent.daemon.HttpAccess;
import dev.jtorrent.metainfo.TorrentBuilder;
import dev.jtorrent.session.FilePriority;
import dev.jtorrent.session.SessionConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * jtorrent's web UI in Debian's headless chromium, against a real daemon in this JVM on loopback (DHT and LSD off)
 * with a real tiny torrent whose data is on disk: log in, add by file and by magnet link, see the torrents come
 * through the event stream (and the page poll nothing: it fetches the list once), pause and resume, details with
 * files, trackers and pieces, a file's priority, the torrent's and the global limits, remove with and without its
 * data; the same on a phone-sized window; and by keyboard alone. Screenshots go to {@code target/screenshots}, and
 * the browser's console must stay free of errors once logged in.
 */
class WebUiChromiumIT {
    static final String USER = "admin";
    static final String PASSWORD = "web ui secret";
    static final String MAGNET_HASH = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00";
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    Daemon daemon;
    ChromeDriver browser;
    WebDriverWait wait;
    Path torrentFile;
    String tinyHash;
    String testName;

    @BeforeEach
    void start(TestInfo test) throws Exception {
        testName = test.getTestMethod().orElseThrow().getName();
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        Path content = Files.createDirectories(downloads.resolve("tiny"));
        Files.write(content.resolve("a.txt"), new byte[40_000]);
        Files.write(content.resolve("b.bin"), new byte[20_000]);
        TorrentBuilder builder = TorrentBuilder.of(content).withPieceLength(Optional.of(16 * 1024))
                .withTrackerTiers(List.of(List.of("http://127.0.0.1:1/announce")));
        byte[] metainfo = builder.build(builder.plan(), new AtomicLong());
        torrentFile = Files.write(dir.resolve("tiny.torrent"), metainfo);
        tinyHash = dev.jtorrent.metainfo.Torrent.parse(metainfo).infoHash().hex();

        SessionConfig session = SessionConfig.builder().bindAddress(InetAddress.getLoopbackAddress()).port(0)
                .dht(false).lsd(false).downloadDirectory(downloads).build();
        HttpAccess.Credentials account = (user, password) -> user.equals(USER) && password.equals(PASSWORD);
        HttpAccess access = new HttpAccess(InetAddress::isLoopbackAddress,
                host -> host.equals("127.0.0.1") || host.equals("localhost"), Optional.of(account));
        daemon = Daemon.start(new DaemonConfig(session, dir.resolve("config"), InetAddress.getLoopbackAddress(), 0,
                access));
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    void open(int width, int height) throws IOException {
        browser = Chromium.start(dir.resolve("profile"), width, height);
        wait = new WebDriverWait(browser, WAIT);
        browser.get("http://127.0.0.1:" + daemon.rpcPort() + "/");
    }

    void screenshot(String step) throws IOException {
        Path shots = Path.of(System.getProperty("jtorrent.screenshots", "target/screenshots"));
        Files.createDirectories(shots);
        Files.write(shots.resolve(testName + "-" + step + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    WebElement visible(String css) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    void until(String what, BooleanSupplier condition) {
        wait.withMessage(what).until(driver -> condition.getAsBoolean());
    }

    WebElement row(String hash) {
        return visible("tr[data-hash='" + hash + "']");
    }

    String cell(String hash, String column) {
        return browser.findElement(By.cssSelector("tr[data-hash='" + hash + "'] td." + column)).getText();
    }

    /** The page's requests to an API path so far, from the browser's own record of what it fetched. */
    long requests(String path) {
        Object count = ((JavascriptExecutor) browser).executeScript("return performance.getEntriesByType('resource')"
                + ".filter(e => new URL(e.name).pathname === arguments[0]).length", "/api/v2/" + path);
        return ((Number) count).longValue();
    }

    /** The console's warnings and errors since the last call. */
    List<LogEntry> consoleProblems() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue()).toList();
    }

    void logIn() {
        visible("#login-user").sendKeys(USER);
        browser.findElement(By.id("login-password")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("#login-form button[type=submit]")).click();
        visible("#app-view");
        until("the event stream is live", () -> browser.findElement(By.id("live")).getText().equals("Live"));
    }

    /** Before logging in, the one problem the console may show is the API's 403 that sends the page to its login. */
    void onlyTheLoginProbeFailed() {
        for (LogEntry entry : consoleProblems()) {
            assertThat(entry.getMessage()).as("a console message before login")
                    .contains("/api/v2/app/webapiVersion").contains("403");
        }
    }

    DaemonTorrent torrent(String hash) {
        return daemon.torrents().byHash(dev.jtorrent.metainfo.InfoHash.fromHex(hash)).orElseThrow();
    }

    void addByFile() {
        browser.findElement(By.id("add-button")).click();
        visible("#add-dialog");
        browser.findElement(By.id("add-files")).sendKeys(torrentFile.toString());
        browser.findElement(By.id("add-submit")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("add-dialog")));
    }

    @Test
    void drivesTheDaemonFromTheDesktop() throws Exception {
        open(1280, 900);
        visible("#login-view");
        screenshot("1-login");
        onlyTheLoginProbeFailed();
        logIn();
        assertThat(visible("#empty").getText()).contains("No torrents yet");

        addByFile();
        row(tinyHash);
        assertThat(browser.findElement(By.cssSelector("tr[data-hash='" + tinyHash + "'] td.name")).getText())
                .isEqualTo("tiny");
        until("tiny checked and seeding", () -> cell(tinyHash, "state").equals("Seeding"));
        assertThat(cell(tinyHash, "size")).isEqualTo("58.6 KiB");
        assertThat(cell(tinyHash, "progress")).isEqualTo("100%");

        browser.findElement(By.id("add-button")).click();
        visible("#add-urls").sendKeys("magnet:?xt=urn:btih:" + MAGNET_HASH + "&dn=magnetic");
        browser.findElement(By.id("add-submit")).click();
        row(MAGNET_HASH);
        until("the magnet link's torrent fetches metadata",
                () -> cell(MAGNET_HASH, "state").equals("Fetching metadata"));
        screenshot("2-list");

        // Everything since the login came through the event stream: the list was fetched once, never polled.
        assertThat(requests("torrents/info")).isEqualTo(1);
        assertThat(requests("sync/maindata")).isZero();

        WebElement toggle = browser.findElement(By.cssSelector("tr[data-hash='" + tinyHash + "'] [data-act=toggle]"));
        assertThat(toggle.getAttribute("aria-label")).isEqualTo("Pause tiny");
        toggle.click();
        until("tiny paused", () -> cell(tinyHash, "state").equals("Paused (complete)"));
        assertThat(torrent(tinyHash).handle().status().state())
                .isInstanceOf(dev.jtorrent.session.TorrentState.Paused.class);
        WebElement resume = browser.findElement(By.cssSelector("tr[data-hash='" + tinyHash + "'] [data-act=toggle]"));
        assertThat(resume.getText()).isEqualTo("Resume");
        resume.click();
        until("tiny seeding again", () -> cell(tinyHash, "state").equals("Seeding"));
        assertThat(requests("torrents/info")).isEqualTo(1);

        browser.findElement(By.cssSelector("tr[data-hash='" + tinyHash + "'] [data-act=details]")).click();
        visible("#details-dialog");
        until("the files are listed", () -> browser.findElements(By.cssSelector("#files tbody tr")).size() == 2);
        until("the pieces are drawn", () -> browser.findElement(By.id("pieces-text")).getText()
                .equals("4 of 4 pieces downloaded"));
        assertThat(browser.findElement(By.cssSelector("#trackers tbody")).getText())
                .contains("http://127.0.0.1:1/announce");
        assertThat(browser.findElement(By.id("details-general")).getText()).contains(tinyHash);
        screenshot("3-details");

        WebElement second = browser.findElement(By.id("file-priority-1"));
        assertThat(second.getAttribute("aria-label")).isEqualTo("Priority of tiny/b.bin");
        new Select(second).selectByVisibleText("Skip");
        until("b.bin skipped", () -> torrent(tinyHash).handle().files().get(1).priority() == FilePriority.SKIP);
        new Select(browser.findElement(By.id("file-priority-0"))).selectByVisibleText("High");
        until("a.txt high", () -> torrent(tinyHash).handle().files().get(0).priority() == FilePriority.HIGH);

        WebElement limit = browser.findElement(By.id("limit-dl"));
        limit.clear();
        limit.sendKeys("100");
        WebElement upLimit = browser.findElement(By.id("limit-up"));
        upLimit.clear();
        upLimit.sendKeys("20");
        browser.findElement(By.id("limits-save")).click();
        until("the limits are set", () -> browser.findElement(By.id("limits-status")).getText().equals("Limits set."));
        assertThat(torrent(tinyHash).handle().downloadLimit()).isEqualTo(100 * 1024);
        assertThat(torrent(tinyHash).handle().uploadLimit()).isEqualTo(20 * 1024);
        browser.findElement(By.cssSelector("#details-dialog .cancel")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("details-dialog")));

        browser.findElement(By.id("settings-button")).click();
        WebElement global = visible("#set-dl");
        assertThat(browser.findElement(By.id("settings-info")).getText()).contains("Listening port");
        global.clear();
        global.sendKeys("500");
        screenshot("4-settings");
        browser.findElement(By.id("settings-save")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("settings-dialog")));
        until("the global limit is set", () -> daemon.session().downloadLimit() == 500 * 1024);

        browser.findElement(By.cssSelector("tr[data-hash='" + MAGNET_HASH + "'] [data-act=remove]")).click();
        visible("#remove-dialog");
        assertThat(browser.findElement(By.id("remove-name")).getText()).contains("magnetic");
        browser.findElement(By.cssSelector("#remove-dialog .cancel")).click();
        assertThat(daemon.torrents().size()).isEqualTo(2);
        browser.findElement(By.cssSelector("tr[data-hash='" + MAGNET_HASH + "'] [data-act=remove]")).click();
        visible("#remove-confirm").click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("tr[data-hash='" + MAGNET_HASH
                + "']")));

        Path data = dir.resolve("downloads/tiny/a.txt");
        assertThat(data).exists();
        browser.findElement(By.cssSelector("tr[data-hash='" + tinyHash + "'] [data-act=remove]")).click();
        visible("#remove-data").click();
        browser.findElement(By.id("remove-confirm")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("tr[data-hash='" + tinyHash
                + "']")));
        until("tiny's data deleted", () -> !Files.exists(data));
        assertThat(daemon.torrents().size()).isZero();
        visible("#empty");
        screenshot("5-removed");

        assertThat(requests("torrents/info")).isEqualTo(1);
        assertThat(consoleProblems()).as("console warnings and errors after login").isEmpty();
    }

    @Test
    void fitsAPhoneScreen() throws Exception {
        open(360, 740);
        visible("#login-view");
        screenshot("1-login");
        onlyTheLoginProbeFailed();
        logIn();
        addByFile();
        WebElement card = row(tinyHash);
        until("tiny seeding", () -> cell(tinyHash, "state").endsWith("Seeding"));

        JavascriptExecutor js = browser;
        assertThat(((Number) js.executeScript("return window.innerWidth")).intValue()).isEqualTo(360);
        assertThat(browser.findElement(By.cssSelector("#torrents thead")).isDisplayed()).isFalse();
        assertThat(card.getCssValue("display")).isEqualTo("grid");
        assertThat(card.getRect().getWidth()).isLessThanOrEqualTo(360);
        assertThat(((Number) js.executeScript("return document.documentElement.scrollWidth")).intValue())
                .as("no sideways scrolling").isLessThanOrEqualTo(360);
        WebElement pause = browser.findElement(By.cssSelector("tr[data-hash='" + tinyHash + "'] [data-act=toggle]"));
        assertThat(pause.getRect().getHeight()).as("a button big enough for a thumb").isGreaterThanOrEqualTo(36);
        screenshot("2-cards");

        pause.click();
        until("tiny paused", () -> cell(tinyHash, "state").startsWith("Paused"));
        browser.findElement(By.cssSelector("tr[data-hash='" + tinyHash + "'] [data-act=details]")).click();
        WebElement details = visible("#details-dialog");
        until("the pieces are drawn", () -> browser.findElement(By.id("pieces-text")).getText()
                .equals("4 of 4 pieces downloaded"));
        assertThat(details.getRect().getWidth()).isLessThanOrEqualTo(360);
        screenshot("3-details");
        browser.findElement(By.cssSelector("#details-dialog .cancel")).click();

        assertThat(requests("torrents/info")).isEqualTo(1);
        assertThat(consoleProblems()).as("console warnings and errors after login").isEmpty();
    }

    /** The element that has the focus, and whether it shows it. */
    WebElement focused() {
        return browser.switchTo().activeElement();
    }

    void press(CharSequence... keys) {
        new Actions(browser).sendKeys(keys).perform();
    }

    @Test
    void worksFromTheKeyboardAlone() throws Exception {
        open(1280, 900);
        visible("#login-view");
        until("the user name has the focus", () -> "login-user".equals(focused().getAttribute("id")));
        press(USER, Keys.TAB, PASSWORD, Keys.ENTER);
        visible("#app-view");
        until("the event stream is live", () -> browser.findElement(By.id("live")).getText().equals("Live"));
        onlyTheLoginProbeFailed();

        press("a");
        visible("#add-dialog");
        until("the dialog's first field has the focus", () -> "add-files".equals(focused().getAttribute("id")));
        press(Keys.TAB);
        until("the links field has the focus", () -> "add-urls".equals(focused().getAttribute("id")));
        press("magnet:?xt=urn:btih:" + MAGNET_HASH + "&dn=typed", Keys.TAB, Keys.TAB, Keys.TAB, Keys.TAB);
        until("Add has the focus", () -> "add-submit".equals(focused().getAttribute("id")));
        press(Keys.ENTER);
        row(MAGNET_HASH);
        torrent(MAGNET_HASH);

        press("/");
        until("the filter has the focus", () -> "filter".equals(focused().getAttribute("id")));
        press("typ");
        assertThat(browser.findElement(By.id("count")).getText()).isEqualTo("1 of 1 torrents");
        press(Keys.ESCAPE);

        press("j");
        until("the torrent's name has the focus", () -> "details".equals(focused().getAttribute("data-act")));
        assertThat(focused().getCssValue("outline-style")).as("a visible focus").isNotEqualTo("none");
        assertThat(row(MAGNET_HASH).getAttribute("aria-selected")).isEqualTo("true");

        press("p");
        until("paused by p", () -> cell(MAGNET_HASH, "state").equals("Paused"));
        press(Keys.TAB);
        until("Resume has the focus", () -> "Resume typed".equals(focused().getAttribute("aria-label")));
        screenshot("1-focus");
        press(Keys.ENTER);
        until("resumed by Enter", () -> cell(MAGNET_HASH, "state").equals("Fetching metadata"));

        press(Keys.TAB);
        until("Remove has the focus", () -> "Remove typed".equals(focused().getAttribute("aria-label")));
        press(Keys.ENTER);
        visible("#remove-dialog");
        press(Keys.ESCAPE);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("remove-dialog")));
        assertThat(daemon.torrents().size()).isEqualTo(1);

        // Closing the dialog gave the focus back to the row's Remove button: Del asks there too.
        until("the focus is back in the row", () -> "Remove typed".equals(focused().getAttribute("aria-label")));
        press(Keys.DELETE);
        visible("#remove-dialog");
        until("Cancel has the focus first", () -> focused().getText().equals("Cancel"));
        press(Keys.TAB, Keys.SPACE);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("tr[data-hash='" + MAGNET_HASH
                + "']")));
        assertThat(daemon.torrents().size()).isZero();
        assertThat(consoleProblems()).as("console warnings and errors after login").isEmpty();
    }
}
