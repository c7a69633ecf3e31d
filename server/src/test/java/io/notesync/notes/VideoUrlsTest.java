package io.notesync.notes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VideoUrlsTest {

    private static final String ID = "dQw4w9WgXcQ";
    private static final Video RICK = new Video("youtube:" + ID, "https://www.youtube.com/watch?v=" + ID);

    private static Video canonical(String url) {
        return VideoUrls.canonicalize(url);
    }

    private static Video generic(String canonicalUrl) {
        return new Video("url:" + canonicalUrl, canonicalUrl);
    }

    private static String rejection(String url) {
        return assertThrows(InvalidVideoUrlException.class, () -> VideoUrls.canonicalize(url)).getMessage();
    }

    // --- YouTube ---

    @Test
    void youtubeWatchUrlDropsTimeAndPlaylist() {
        assertEquals(RICK, canonical("https://www.youtube.com/watch?v=" + ID + "&t=42s&list=X"));
    }

    @Test
    void youtubeWatchUrlWithTheIdAfterOtherParametersIsRecognised() {
        assertEquals(RICK, canonical("https://www.youtube.com/watch?list=X&index=3&v=" + ID));
    }

    @Test
    void youtuBeShortLinkDropsTime() {
        assertEquals(RICK, canonical("https://youtu.be/" + ID + "?t=5"));
    }

    @Test
    void youtubeEmbedUrl() {
        assertEquals(RICK, canonical("https://www.youtube.com/embed/" + ID + "?start=10"));
    }

    @Test
    void youtubeShortsUrl() {
        assertEquals(RICK, canonical("https://www.youtube.com/shorts/" + ID));
    }

    @Test
    void youtubeLiveUrl() {
        assertEquals(RICK, canonical("https://www.youtube.com/live/" + ID + "?si=abc"));
    }

    @Test
    void youtubeIdPathWithTrailingSlash() {
        assertEquals(RICK, canonical("https://www.youtube.com/shorts/" + ID + "/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com",
            "youtube-nocookie.com", "www.youtube-nocookie.com"})
    void everyYoutubeHostIsRecognisedForWatchUrls(String host) {
        assertEquals(RICK, canonical("https://" + host + "/watch?v=" + ID));
    }

    @ParameterizedTest
    @ValueSource(strings = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com",
            "youtube-nocookie.com", "www.youtube-nocookie.com"})
    void everyYoutubeHostIsRecognisedForEmbedUrls(String host) {
        assertEquals(RICK, canonical("https://" + host + "/embed/" + ID));
    }

    @Test
    void youtubeOverPlainHttpGivesTheHttpsCanonicalUrl() {
        assertEquals(RICK, canonical("http://youtube.com/watch?v=" + ID));
    }

    @Test
    void youtubeHostIsMatchedCaseInsensitively() {
        assertEquals(RICK, canonical("HTTPS://WWW.YouTube.COM/watch?v=" + ID));
    }

    @Test
    void youtubeIdKeepsItsCase() {
        assertEquals("youtube:aBcDeFgHiJk", canonical("https://youtu.be/aBcDeFgHiJk").key());
    }

    @Test
    void youtubeIdWithDashAndUnderscore() {
        assertEquals("youtube:a-b_c-d_e-f", canonical("https://youtu.be/a-b_c-d_e-f").key());
    }

    @Test
    void youtubeFragmentIsIgnored() {
        assertEquals(RICK, canonical("https://www.youtube.com/watch?v=" + ID + "#t=30"));
    }

    @Test
    void youtubeHostWithoutAnIdFallsThroughToTheGenericRule() {
        assertEquals(generic("https://www.youtube.com/feed/subscriptions"),
                canonical("https://www.youtube.com/feed/subscriptions"));
    }

    @Test
    void youtubeWatchUrlWithoutVFallsThroughToTheGenericRule() {
        assertEquals(generic("https://www.youtube.com/watch?list=X"), canonical("https://www.youtube.com/watch?list=X"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dQw4w9WgXc", "dQw4w9WgXcQQ", "dQw4w9WgX.Q", "dQw4w9WgX%51"})
    void youtubeIdThatIsNotElevenIdCharactersFallsThroughToTheGenericRule(String badId) {
        assertEquals(generic("https://www.youtube.com/watch?v=" + badId),
                canonical("https://www.youtube.com/watch?v=" + badId));
    }

    @Test
    void youtuBeWithABadIdFallsThroughToTheGenericRule() {
        assertEquals(generic("https://youtu.be/tooshort"), canonical("https://youtu.be/tooshort?t=5"));
    }

    @Test
    void youtubeIdPathOnAnotherHostIsNotYoutube() {
        assertEquals(generic("https://notyoutube.com/embed/" + ID), canonical("https://notyoutube.com/embed/" + ID));
    }

    @Test
    void youtubeLookalikeSubdomainIsNotYoutube() {
        assertEquals(generic("https://youtube.com.evil.example/watch?v=" + ID),
                canonical("https://youtube.com.evil.example/watch?v=" + ID));
    }

    // --- Vimeo ---

    @Test
    void vimeoUrlDropsFragment() {
        assertEquals(new Video("vimeo:123456789", "https://vimeo.com/123456789"),
                canonical("https://vimeo.com/123456789#t=30s"));
    }

    @Test
    void vimeoWwwHost() {
        assertEquals(new Video("vimeo:123456789", "https://vimeo.com/123456789"),
                canonical("http://www.vimeo.com/123456789?share=copy"));
    }

    @Test
    void vimeoPlayerUrl() {
        assertEquals(new Video("vimeo:123456789", "https://vimeo.com/123456789"),
                canonical("https://player.vimeo.com/video/123456789?h=abcdef&autoplay=1"));
    }

    @Test
    void vimeoHostWithoutANumericIdFallsThroughToTheGenericRule() {
        assertEquals(generic("https://vimeo.com/channels/staffpicks"), canonical("https://vimeo.com/channels/staffpicks"));
    }

    // --- Generic ---

    @Test
    void genericKeyIsUrlPrefixPlusCanonicalUrl() {
        Video video = canonical("https://example.com/video/1");
        assertEquals("url:https://example.com/video/1", video.key());
        assertEquals("https://example.com/video/1", video.url());
    }

    @Test
    void genericSchemeAndHostAreLowerCased() {
        assertEquals(generic("https://example.com/Path/Case"), canonical("HTTPS://Example.COM/Path/Case"));
    }

    @Test
    void genericPathKeepsItsCase() {
        assertEquals("https://example.com/AbC", canonical("https://example.com/AbC").url());
    }

    @Test
    void genericDefaultHttpPortIsRemoved() {
        assertEquals(generic("http://example.com/v"), canonical("http://example.com:80/v"));
    }

    @Test
    void genericDefaultHttpsPortIsRemoved() {
        assertEquals(generic("https://example.com/v"), canonical("https://example.com:443/v"));
    }

    @Test
    void genericOtherPortIsKept() {
        assertEquals(generic("https://example.com:8443/v"), canonical("https://example.com:8443/v"));
    }

    @Test
    void genericHttpsPortOnHttpIsNotADefaultPort() {
        assertEquals(generic("http://example.com:443/v"), canonical("http://example.com:443/v"));
    }

    @Test
    void genericEmptyPortIsDropped() {
        assertEquals(generic("http://example.com/v"), canonical("http://example.com:/v"));
    }

    @Test
    void genericFragmentIsRemoved() {
        assertEquals(generic("https://example.com/v"), canonical("https://example.com/v#t=30"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"t=42", "start=10", "si=abc", "feature=share", "fbclid=IwAR0", "gclid=Cj0K",
            "utm_source=x", "utm_medium=email", "utm_campaign=spring", "utm_anything=1"})
    void genericTimeAndTrackingParametersAreRemoved(String parameter) {
        assertEquals(generic("https://example.com/v?id=7"), canonical("https://example.com/v?" + parameter + "&id=7"));
    }

    @Test
    void genericParameterMerelyStartingLikeATrackingOneIsKept() {
        assertEquals(generic("https://example.com/v?time=1&utmsource=x"),
                canonical("https://example.com/v?utmsource=x&time=1"));
    }

    @Test
    void genericRemainingParametersAreSortedByName() {
        assertEquals(generic("https://example.com/v?a=3&b=1&c=2"), canonical("https://example.com/v?c=2&a=3&b=1"));
    }

    @Test
    void genericParametersWithTheSameNameAreSortedByValue() {
        assertEquals(generic("https://example.com/v?a=1&a=2&b=0"), canonical("https://example.com/v?a=2&b=0&a=1"));
    }

    @Test
    void genericParametersKeepTheirOriginalEncoding() {
        assertEquals(generic("https://example.com/v?q=a%20b+c&r=%2F"), canonical("https://example.com/v?r=%2F&q=a%20b+c"));
    }

    @Test
    void genericParameterWithoutValueIsKept() {
        assertEquals(generic("https://example.com/v?flag&x=1"), canonical("https://example.com/v?x=1&flag"));
    }

    @Test
    void genericEmptyQueryPartsAreDropped() {
        assertEquals(generic("https://example.com/v?a=1&b=2"), canonical("https://example.com/v?a=1&&b=2&"));
    }

    @Test
    void genericNoQuestionMarkWhenNoParameterRemains() {
        assertEquals(generic("https://example.com/v"), canonical("https://example.com/v?utm_source=x&t=5"));
    }

    @Test
    void genericEmptyQueryLeavesNoQuestionMark() {
        assertEquals(generic("https://example.com/v"), canonical("https://example.com/v?"));
    }

    @Test
    void genericEmptyPathBecomesSlash() {
        assertEquals(generic("https://example.com/"), canonical("https://example.com"));
    }

    @Test
    void genericEmptyPathWithQueryBecomesSlash() {
        assertEquals(generic("https://example.com/?a=1"), canonical("https://example.com?a=1"));
    }

    @Test
    void genericPathKeepsItsEncoding() {
        assertEquals(generic("https://example.com/a%20b/c"), canonical("https://example.com/a%20b/c"));
    }

    @Test
    void genericIpv6HostIsKept() {
        assertEquals(generic("http://[::1]:8080/v"), canonical("http://[::1]:8080/v"));
    }

    @Test
    void sameVideoThroughDifferentUrlsGetsOneKey() {
        // The key written out: two calls that agreed on a wrong key (or both kept the port, the
        // order, the tracking parameter or the fragment) would pass a comparison of the two.
        assertEquals("url:https://example.com/v?a=1&b=2", canonical("https://Example.com:443/v?b=2&a=1&utm_source=x#frag").key());
        assertEquals("url:https://example.com/v?a=1&b=2", canonical("https://example.com/v?a=1&b=2").key());
        assertEquals("youtube:dQw4w9WgXcQ", canonical("https://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ&t=42s").key());
        assertEquals("youtube:dQw4w9WgXcQ", canonical("https://youtu.be/dQw4w9WgXcQ?t=42").key());
    }

    // --- leniency for what browsers send ---

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertEquals(RICK, canonical("  https://youtu.be/" + ID + "\n"));
    }

    @Test
    void bracketsAndPipesInTheQueryArePercentEncoded() {
        assertEquals(generic("https://example.com/v?filter%5Btag%5D=a%7Cb"),
                canonical("https://example.com/v?filter[tag]=a|b"));
    }

    @Test
    void nonAsciiInPathAndQueryIsPercentEncodedAsUtf8() {
        assertEquals(generic("https://example.com/%C3%A9t%C3%A9?q=%C3%BC"), canonical("https://example.com/\u00e9t\u00e9?q=\u00fc"));
    }

    @Test
    void fragmentThatUriWouldRefuseIsStillRemoved() {
        assertEquals(generic("https://example.com/v"), canonical("https://example.com/v#a#b{c}"));
    }

    @Test
    void internationalHostIsConvertedToPunycode() {
        assertEquals(generic("https://xn--bcher-kva.example/v"), canonical("https://B\u00fccher.example/v"));
    }

    @Test
    void hostWithUnderscoreIsAccepted() {
        assertEquals(generic("https://my_site.example.com:8080/v"), canonical("https://My_Site.example.com:8080/v"));
    }

    // --- rejections ---

    @Test
    void urlOfExactly2048CharactersIsAccepted() {
        String prefix = "https://example.com/";
        String url = prefix + "a".repeat(2048 - prefix.length());
        assertEquals(generic(url), canonical(url));
    }

    @Test
    void urlLongerThan2048CharactersIsInvalid() {
        String prefix = "https://example.com/";
        String message = rejection(prefix + "a".repeat(2049 - prefix.length()));
        assertTrue(message.contains("2048"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "data:text/html,<b>hi</b>", "file:///etc/passwd",
            "ftp://example.com/v.mp4", "javascript:alert('a b')//https://x", "chrome-extension://abc/page.html", "ws://example.com/"})
    void schemesOtherThanHttpAndHttpsAreInvalid(String url) {
        String message = rejection(url);
        assertTrue(message.startsWith("videoUrl must be an absolute http or https URL"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/watch?v=dQw4w9WgXcQ", "www.youtube.com/watch?v=dQw4w9WgXcQ", "//example.com/v", "v.mp4"})
    void relativeUrlsAreInvalid(String url) {
        assertTrue(rejection(url).startsWith("videoUrl must be an absolute http or https URL"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http:example.com", "https:/path", "http:///path", "https://", "https://?q=1", "https:"})
    void urlsWithoutAHostAreInvalid(String url) {
        assertTrue(rejection(url).startsWith("videoUrl must be an absolute http or https URL"), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://user:secret@example.com/v", "https://user@example.com/v",
            "https://@example.com/v", "https://user:secret@www.youtube.com/watch?v=dQw4w9WgXcQ"})
    void urlsWithCredentialsAreInvalid(String url) {
        assertTrue(rejection(url).contains("credentials"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://example.com/a%zz", "https://exa mple.com/", "http://[::1/"})
    void urlsThatDoNotParseAreInvalidAndSaySo(String url) {
        assertTrue(rejection(url).startsWith("videoUrl is not a valid URL"), url);
    }

    @Test
    void portOutOfRangeIsInvalid() {
        assertTrue(rejection("https://example.com:65536/").contains("port"));
    }

    @Test
    void nonNumericPortIsInvalid() {
        assertTrue(rejection("https://example.com:abc/").contains("port"));
    }

    @Test
    void emptyUrlIsInvalid() {
        assertTrue(rejection("   ").contains("empty"));
    }

    @Test
    void nullUrlIsInvalid() {
        assertEquals("videoUrl is required", rejection(null));
    }

    @Test
    void invalidVideoUrlExceptionIsAnIllegalArgumentException() {
        assertThrows(IllegalArgumentException.class, () -> VideoUrls.canonicalize("javascript:alert(1)"));
    }
}
