package io.snapline.aws;

import io.snapline.error.AwsErrorMeaning;
import io.snapline.error.AwsService;
import io.snapline.error.RetryableProcessingException;
import io.snapline.gateway.CrawlerGateway;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Crawler;
import software.amazon.awssdk.services.glue.model.GetCrawlerRequest;
import software.amazon.awssdk.services.glue.model.StartCrawlerRequest;

import java.util.Optional;

/**
 * {@link CrawlerGateway} over the Glue client: StartCrawler and GetCrawler, its errors read through the
 * Glue table of {@link io.snapline.error.AwsErrorCodes}: not ready ({@code CrawlerRunningException},
 * {@code CrawlerStoppingException}) on a start → {@link StartResult#ALREADY_RUNNING} (a running crawl
 * will pick up the new files only if it has not passed them yet; the caller decides whether to start
 * again later); not found ({@code EntityNotFoundException}) or permanent →
 * {@link io.snapline.error.PermanentProcessingException}; retryable ({@code OperationTimeoutException})
 * → {@link RetryableProcessingException}.
 */
public final class SdkCrawlerGateway implements CrawlerGateway {

    private final GlueClient glue;

    public SdkCrawlerGateway(GlueClient glue) {
        this.glue = glue;
    }

    @Override
    public StartResult start(String crawlerName) {
        try {
            glue.startCrawler(startCrawlerRequest(crawlerName));
            return StartResult.STARTED;
        } catch (AwsServiceException e) {
            if (AwsFailures.means(AwsService.GLUE, e, AwsErrorMeaning.NOT_READY)) {
                return StartResult.ALREADY_RUNNING;
            }
            throw mapped("StartCrawler " + crawlerName, e);
        }
    }

    @Override
    public CrawlerInfo get(String crawlerName) {
        try {
            Crawler c = glue.getCrawler(getCrawlerRequest(crawlerName)).crawler();
            return new CrawlerInfo(c.name(), c.stateAsString(),
                    Optional.ofNullable(c.lastCrawl()).map(l -> l.statusAsString()),
                    Optional.ofNullable(c.lastCrawl()).map(l -> l.startTime()));
        } catch (AwsServiceException e) {
            throw mapped("GetCrawler " + crawlerName, e);
        }
    }

    private static RuntimeException mapped(String what, AwsServiceException e) {
        if (AwsFailures.permanent(AwsService.GLUE, e)) {
            return AwsFailures.permanent(what, e);
        }
        if (AwsFailures.means(AwsService.GLUE, e, AwsErrorMeaning.RETRYABLE)) {
            return new RetryableProcessingException(what + " failed for now: " + AwsFailures.describe(e), e);
        }
        return e;
    }

    static StartCrawlerRequest startCrawlerRequest(String crawlerName) {
        return StartCrawlerRequest.builder().name(crawlerName).build();
    }

    static GetCrawlerRequest getCrawlerRequest(String crawlerName) {
        return GetCrawlerRequest.builder().name(crawlerName).build();
    }
}
