package io.syncline.testsupport;

import io.restassured.RestAssured;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * A real headless browser on the console of the application under test: Debian's chromium driven
 * through its chromium-driver (nothing downloaded), each with a fresh profile and no background
 * traffic. Screenshots go to {@code target/console-screenshots/}.
 */
public final class ConsoleBrowser implements AutoCloseable {

    public static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    /** How long a look-up waits for its element to appear. */
    private static final Duration IMPLICIT_WAIT = Duration.ofSeconds(5);

    private final WebDriver driver;
    private final Path profile;

    public ConsoleBrowser() {
        try {
            profile = Files.createTempDirectory("syncline-console-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary("SYNCLINE_TEST_CHROMIUM", "/usr/bin/chromium"));
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1366,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(binary("SYNCLINE_TEST_CHROMEDRIVER", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(IMPLICIT_WAIT);
    }

    private static String binary(String variable, String otherwise) {
        String given = System.getenv(variable);
        return given == null || given.isBlank() ? otherwise : given;
    }

    public WebDriver driver() {
        return driver;
    }

    /** Opens {@code path} (from the root of the application under test). */
    public ConsoleBrowser open(String path) {
        driver.get("http://localhost:" + RestAssured.port + path);
        return this;
    }

    /** Logs in through the console's login page. */
    public ConsoleBrowser logIn(String user, String password) {
        open("/console/login");
        driver.findElement(By.id("j_username")).sendKeys(user);
        driver.findElement(By.id("j_password")).sendKeys(password);
        return clickAndWait(By.cssSelector("button[type=submit]"));
    }

    /** Clicks what submits a form or follows a link, and returns once the next page has replaced this one. */
    public ConsoleBrowser clickAndWait(By by) {
        WebElement page = driver.findElement(By.tagName("html"));
        driver.findElement(by).click();
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(browser -> replaced(page));
        return this;
    }

    /**
     * Whether the page has been replaced. Chrome may answer a question about an element of a page
     * being replaced that very moment with "does not belong to the document" rather than as stale.
     */
    private static boolean replaced(WebElement page) {
        try {
            page.isEnabled();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return true;
        } catch (org.openqa.selenium.WebDriverException e) {
            if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    /**
     * The elements {@code by} finds on the page as loaded, without the implicit wait: for what a
     * page must not show. The console's pages are rendered by the server and carry no script, so
     * once {@link #open} or {@link #clickAndWait} has returned the page holds all it will; the
     * implicit wait would only hold each look-up for an absent element its full five seconds.
     */
    public List<WebElement> elementsNow(By by) {
        driver.manage().timeouts().implicitlyWait(Duration.ZERO);
        try {
            return driver.findElements(by);
        } finally {
            driver.manage().timeouts().implicitlyWait(IMPLICIT_WAIT);
        }
    }

    public String text(By by) {
        return driver.findElement(by).getText();
    }

    public String path() {
        return java.net.URI.create(driver.getCurrentUrl()).getPath();
    }

    /** Saves what the browser shows as {@code target/console-screenshots/<name>.png}. */
    public void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary profile is harmless
        }
    }
}
