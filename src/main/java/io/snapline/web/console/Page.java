package io.snapline.web.console;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

import java.util.List;
import java.util.Optional;

/**
 * The console's page shell: header with the views, a notice, the content. No script at all (so a
 * value that escaped escaping could still not run: the Content-Security-Policy forbids scripts),
 * forms and links only, so the keyboard reaches everything in document order.
 */
final class Page {

    /** The views, in the header's order: path, label. */
    static final List<String[]> VIEWS = List.of(
            new String[] {"/", "Pipelines"},
            new String[] {"/console/dead-letters", "Dead letters"},
            new String[] {"/console/plans", "Prune plans"},
            new String[] {"/console/clones", "Clones"},
            new String[] {"/console/schedules", "Schedules"},
            new String[] {"/console/health", "Health"});

    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static final String CSS = """
            :root{--ink:#16191f;--muted:#5f6b7a;--line:#d5dbdb;--bg:#f2f3f3;--head:#232f3e;--link:#0972d3;
            --ok:#037f0c;--bad:#d91515;--wait:#8d6605;--run:#0972d3;--skip:#5f6b7a}
            *{box-sizing:border-box}
            body{margin:0;font:14px/1.45 "Amazon Ember","Helvetica Neue",Roboto,Arial,sans-serif;color:var(--ink);background:var(--bg)}
            a{color:var(--link)} a:focus,button:focus,input:focus,select:focus,summary:focus{outline:2px solid var(--link);outline-offset:2px}
            .skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:9}
            header{background:var(--head);color:#fff;display:flex;flex-wrap:wrap;align-items:center;gap:4px 16px;padding:8px 16px}
            header .brand{font-weight:700;font-size:16px;margin-right:8px}
            header nav{display:flex;flex-wrap:wrap;gap:2px}
            header nav a{color:#d1d5db;text-decoration:none;padding:6px 10px;border-radius:4px}
            header nav a[aria-current=page]{color:#fff;background:#414d5c;font-weight:700}
            header nav a:hover{color:#fff}
            header .who{margin-left:auto;color:#d1d5db;font-size:13px}
            header .who a,header .who button{color:#fff}
            main{padding:16px;max-width:1400px;margin:0 auto}
            h1{font-size:20px;margin:4px 0 12px} h2{font-size:16px;margin:20px 0 8px}
            .panel{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 16px;margin-bottom:16px;overflow-x:auto}
            .notice{padding:10px 14px;border-radius:6px;margin-bottom:12px;border:1px solid}
            .notice.info{background:#f2f8fd;border-color:#0972d3}.notice.warn{background:#fffce9;border-color:#8d6605}
            .notice.error{background:#fff7f7;border-color:#d91515}.notice.ok{background:#f2fcf3;border-color:#037f0c}
            table{border-collapse:collapse;width:100%}
            th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e9ebed;vertical-align:top}
            th{font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);background:#fafafa;white-space:nowrap}
            td.mono,.mono{font-family:Menlo,Consolas,monospace;font-size:12.5px;word-break:break-all}
            .state{display:inline-block;font-weight:700;font-size:12px;white-space:nowrap}
            .state::before{content:"";display:inline-block;width:8px;height:8px;border-radius:50%;margin-right:5px;background:currentColor}
            .DONE{color:var(--ok)}.FAILED{color:var(--bad)}.WAITING{color:var(--wait)}.STARTED{color:var(--run)}.SKIPPED{color:var(--skip)}
            .UP{color:var(--ok)}.DOWN{color:var(--bad)}
            .steps{display:flex;flex-wrap:wrap;gap:4px}
            .chip{border:1px solid var(--line);border-radius:12px;padding:0 8px;font-size:12px;white-space:nowrap;background:#fff}
            form.inline{display:inline}
            .bar{display:flex;flex-wrap:wrap;gap:8px;align-items:end;margin-bottom:12px}
            label{display:block;font-size:12px;font-weight:700;color:var(--muted);margin-bottom:2px}
            input[type=text],input[type=search],input[type=password],select{font:inherit;padding:5px 8px;border:1px solid #7d8998;border-radius:6px;min-width:14em;max-width:100%}
            button,.button{font:inherit;font-weight:700;padding:5px 14px;border-radius:16px;border:1px solid var(--link);background:#fff;color:var(--link);cursor:pointer;text-decoration:none;display:inline-block}
            button.primary{background:var(--link);color:#fff} button.danger{border-color:var(--bad);color:var(--bad)}
            button:disabled{border-color:#b6bec9;color:#8d99a8;background:#f4f4f4;cursor:not-allowed}
            pre{white-space:pre-wrap;word-break:break-all;margin:4px 0;font-size:12.5px;background:#fafafa;border:1px solid #e9ebed;padding:6px;border-radius:4px;max-height:24em;overflow:auto}
            dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0} dl.kv dt{color:var(--muted);font-weight:700} dl.kv dd{margin:0}
            .nowrap{white-space:nowrap;word-break:normal} time{white-space:nowrap} td.body{max-width:28em} td.body summary{cursor:pointer}
            .muted{color:var(--muted)} .cut{color:var(--muted);font-style:italic}
            .pager{display:flex;gap:8px;margin-top:10px}
            @media (max-width:700px){main{padding:8px}th.wide,td.wide{display:none}input[type=search]{min-width:0;width:100%}}
            """;

    private Page() {
    }

    /**
     * A whole page. {@code notice} is HTML already escaped by the caller; {@code content} likewise.
     */
    static String render(String path, String title, Optional<String> operator, boolean actionsEnabled,
                         String notice, String content) {
        StringBuilder b = new StringBuilder(8192 + content.length());
        b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(Html.esc(title)).append(" · Snapline</title><style>").append(CSS)
                .append("</style></head><body><a class=\"skip\" href=\"#main\">Skip to content</a><header>")
                .append("<span class=\"brand\">Snapline</span><nav aria-label=\"Views\">");
        for (String[] view : VIEWS) {
            b.append("<a href=\"").append(view[0]).append('"')
                    .append(view[0].equals(path) ? " aria-current=\"page\"" : "").append('>').append(view[1]).append("</a>");
        }
        b.append("</nav><span class=\"who\">");
        if (operator.isPresent()) {
            b.append("Signed in as <strong>").append(Html.esc(operator.get())).append("</strong> · ")
                    .append("<a href=\"/console/sign-out\">Sign out</a>");
        } else if (actionsEnabled) {
            b.append("Read-only · <a href=\"/console/sign-in\">Sign in to act</a>");
        } else {
            b.append("Read-only");
        }
        b.append("</span></header><main id=\"main\">");
        if (!actionsEnabled) {
            b.append("<div class=\"notice warn\" role=\"status\">Actions are disabled: no console token is configured "
                    + "(<span class=\"mono\">snapline.console.token</span>). Every view is read-only.</div>");
        }
        b.append(notice).append("<h1>").append(Html.esc(title)).append("</h1>").append(content)
                .append("</main></body></html>");
        return b.toString();
    }

    static String notice(String kind, String escapedText) {
        return "<div class=\"notice " + kind + "\" role=\"" + ("error".equals(kind) ? "alert" : "status") + "\">"
                + escapedText + "</div>";
    }

    static MutableHttpResponse<String> html(MutableHttpResponse<String> response, String body) {
        return response.body(body).contentType(MediaType.TEXT_HTML_TYPE.toString() + ";charset=utf-8")
                .header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin")
                .header("Cache-Control", "no-store");
    }

    static MutableHttpResponse<String> ok(String body) {
        return html(HttpResponse.ok(), body);
    }
}
