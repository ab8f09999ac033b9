package io.snapline.web;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;

/**
 * A request line longer than {@code micronaut.server.netty.max-initial-line-length} is refused by
 * Netty's decoder before any route sees it, and Micronaut answers such a decoder failure 413 (as if
 * the body were too large). The line is the URI, so this answers it 414 URI Too Long, right after
 * the decoder, and closes the connection (the decoder has given up on it). URIs under the limit
 * that are still too long for what they name are answered 414 by their controller.
 */
@Singleton
public class UriTooLong implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    static final String HANDLER = "snapline-uri-too-long";
    /** Where HTTP/1 requests are decoded: the server codec, or a lone decoder. */
    private static final String[] DECODERS = {ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC,
            ChannelPipelineCustomizer.HANDLER_HTTP_DECODER};

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new Customizer(null));
        return event.getBean();
    }

    private record Customizer(Channel channel) implements NettyServerCustomizer {

        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return role == ChannelRole.CONNECTION ? new Customizer(channel) : this;
        }

        @Override
        public void onStreamPipelineBuilt() {
            if (channel == null || channel.pipeline().get(HANDLER) != null) {
                return;
            }
            for (String decoder : DECODERS) {
                if (channel.pipeline().get(decoder) != null) {
                    channel.pipeline().addAfter(decoder, HANDLER, new Handler());
                    return;
                }
            }
        }
    }

    private static final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request && request.decoderResult().isFailure()
                    && request.decoderResult().cause() instanceof TooLongHttpLineException tooLong) {
                ReferenceCountUtil.release(msg);
                byte[] body = ("{\"error\":\"the request line is too long (" + tooLong.getMessage()
                        + "); no Snapline URI is this long\"}").getBytes(StandardCharsets.UTF_8);
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.REQUEST_URI_TOO_LONG, Unpooled.wrappedBuffer(body));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.fireChannelRead(msg);
        }
    }
}
