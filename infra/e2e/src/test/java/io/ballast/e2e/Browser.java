package io.ballast.e2e;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The Debian chromium, headless, driven through the Debian chromedriver. Both paths are given, so
 * Selenium Manager has nothing to look up and nothing is downloaded.
 */
final class Browser implements AutoCloseable {
    static final Path SCREENSHOTS = Path.of(System.getProperty("ballast.screenshots", "target/screenshots")).toAbsolutePath();
    static final Dimension LAPTOP = new Dimension(1280, 900);
    static final Dimension PHONE = new Dimension(390, 844);

    private final ChromeDriver driver;
    private final ChromeDriverService service;

    private Browser(ChromeDriver driver, ChromeDriverService service) {
        this.driver = driver;
        this.service = service;
    }

    static Browser start() {
        File profile = ManagedProcess.tempDir("ballast-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile.getAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(LAPTOP);
        return new Browser(driver, service);
    }

    ChromeDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /**
     * Waits until an element matching {@code css} is displayed, and answers it. The console re-renders live
     * tables when their data changes, so an element found a moment ago may be gone: that only means "look again".
     */
    WebElement await(String css) {
        WebElement[] found = new WebElement[1];
        Awaitility.await("element " + css).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .ignoreException(StaleElementReferenceException.class)
                .until(() -> {
                    found[0] = all(css).stream().filter(WebElement::isDisplayed).findFirst().orElse(null);
                    return found[0] != null;
                });
        return found[0];
    }

    /** Waits until the text of an element matching {@code css} contains {@code text}, and answers that text. */
    String awaitText(String css, String text, Duration atMost) {
        return awaitTextWhere(css + " contains '" + text + "'", css, t -> t.contains(text), atMost);
    }

    /** Like {@link #awaitText} with a regular expression that must match the whole (trimmed) text of an element. */
    String awaitMatch(String css, String regex, Duration atMost) {
        return awaitTextWhere(css + " matches '" + regex + "'", css, t -> t.trim().matches(regex), atMost);
    }

    @SuppressWarnings("unchecked")
    private String awaitTextWhere(String what, String css, Predicate<String> wanted, Duration atMost) {
        String[] found = new String[1];
        // One script reads every match at once, so a re-render between finding and reading cannot interfere.
        Awaitility.await(what).atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<String> texts = (List<String>) script("return [...document.querySelectorAll(arguments[0])].map(e => e.innerText);", css);
            found[0] = texts.stream().filter(wanted).findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    /**
     * Chooses {@code value} in a select, firing the change event a user's choice fires. Waits for the option
     * to exist: the console fills some selects from the API.
     */
    void select(String css, String value) {
        await(css);
        Awaitility.await("option " + value + " of " + css).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> (Boolean) script("const s = document.querySelector(arguments[0]);"
                        + " if (![...s.options].some(o => o.value === arguments[1])) return false;"
                        + " s.value = arguments[1]; s.dispatchEvent(new Event('change', {bubbles: true})); return true;", css, value));
    }

    void type(String css, String text) {
        WebElement input = await(css);
        input.clear();
        input.sendKeys(text);
    }

    void click(String css) {
        Awaitility.await("click " + css).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .ignoreException(StaleElementReferenceException.class)
                .until(() -> {
                    await(css).click();
                    return true;
                });
    }

    /** Accepts the console's confirmation dialog. */
    void confirm() {
        await("dialog#confirm[open] #confirm-ok").click();
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** axe-core from the local npm install (infra/e2e/a11y, installed by the build): no network at test time. */
    static final Path AXE = Path.of(System.getProperty("ballast.axe", "a11y/node_modules/axe-core/axe.min.js")).toAbsolutePath();

    /**
     * Runs axe-core on the page as it is now, for WCAG 2.1 A and AA (labels, names, contrast, landmarks …), and
     * answers one line per violation naming the rule and the first elements it found.
     */
    @SuppressWarnings("unchecked")
    List<String> axeViolations() {
        if (!Files.isRegularFile(AXE)) {
            throw new IllegalStateException(AXE + " is missing: the e2e build installs it (npm ci in infra/e2e/a11y)");
        }
        try {
            if (!Boolean.TRUE.equals(script("return typeof window.axe === 'object';"))) {
                script(Files.readString(AXE));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        return (List<String>) driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + " axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
                + " .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '"
                + "   + v.nodes.slice(0, 4).map(n => n.target.join(' ') + (n.failureSummary ? ' [' + n.failureSummary.replace(/\\s+/g, ' ') + ']' : '')).join('; '))))"
                + " .catch(e => done(['axe failed: ' + e]));");
    }

    /**
     * Presses Tab through the page from its start and answers the visible controls (links, buttons, inputs,
     * selects, focusable regions) that the keyboard never reached. Controls are told apart by tag, id, name and
     * text, so a live table re-rendered meanwhile does not count as unreached.
     */
    @SuppressWarnings("unchecked")
    List<String> unreachableByKeyboard() {
        String keyOf = "const key = e => [e.tagName, e.id, e.getAttribute('name'), e.getAttribute('aria-label'), (e.innerText || e.value || '').trim().slice(0, 40)].join('|');";
        List<String> controls = (List<String>) script(keyOf + " return [...document.querySelectorAll("
                + "'a[href], button, input, select, textarea, [tabindex]:not([tabindex=\"-1\"])')]"
                + ".filter(e => !e.disabled && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')"
                + ".map(key);");
        if (controls.isEmpty()) {
            throw new AssertionError("no control found on the page: the keyboard check would prove nothing");
        }
        script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);"
                + " const m = document.createElement('span'); m.tabIndex = -1; m.id = 'kb-start';"
                + " document.body.prepend(m); m.focus();");
        java.util.Set<String> reached = new java.util.HashSet<>();
        org.openqa.selenium.interactions.Actions keys = new org.openqa.selenium.interactions.Actions(driver);
        for (int i = 0; i < controls.size() + 10; i++) {
            keys.sendKeys(org.openqa.selenium.Keys.TAB).perform();
            String k = (String) script(keyOf + " const e = document.activeElement; return e && e !== document.body ? key(e) : null;");
            if (k != null) {
                reached.add(k);
            }
        }
        script("const m = document.getElementById('kb-start'); if (m) m.remove();");
        return controls.stream().filter(c -> !reached.contains(c)).distinct().toList();
    }

    void resize(Dimension size) {
        driver.manage().window().setSize(size);
    }

    /** Saves {@code target/screenshots/<name>.png}. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
