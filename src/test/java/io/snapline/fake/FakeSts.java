package io.snapline.fake;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Fake STS (query protocol): {@code AssumeRole} answers fresh fake credentials valid for an hour and
 * records the role ARN, external id and session name. Requests later signed with those credentials act
 * as the role's account in the fake (e.g. they own the S3 objects they write).
 */
public final class FakeSts {

    /** One AssumeRole call and the access key it issued. */
    public record AssumeRoleCall(String roleArn, String externalId, String sessionName, String accessKeyId) {
    }

    private final FakeAws aws;
    private final List<AssumeRoleCall> calls = new ArrayList<>();

    FakeSts(FakeAws aws) {
        this.aws = aws;
    }

    public synchronized List<AssumeRoleCall> assumeRoleCalls() {
        return List.copyOf(calls);
    }

    synchronized String handle(String action, Map<String, String> p) {
        if (!action.equals("AssumeRole")) {
            throw new FakeAwsError("InvalidAction", 400, "The fake STS does not implement " + action);
        }
        String roleArn = p.get("RoleArn");
        String session = p.get("RoleSessionName");
        if (roleArn == null || session == null) {
            throw new FakeAwsError("ValidationError", 400, "RoleArn and RoleSessionName are required");
        }
        String[] parts = roleArn.split(":");
        String account = parts.length > 4 ? parts[4] : FakeAws.ACCOUNT;
        String accessKey = "ASIA" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
        aws.registerAccessKey(accessKey, account);
        calls.add(new AssumeRoleCall(roleArn, p.get("ExternalId"), session, accessKey));
        String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
        return Xml.fragment().open("Credentials").el("AccessKeyId", accessKey)
                .el("SecretAccessKey", "fakeSecret" + UUID.randomUUID()).el("SessionToken", "fakeToken" + UUID.randomUUID())
                .el("Expiration", Instant.now().plus(1, ChronoUnit.HOURS)).close()
                .open("AssumedRoleUser").el("AssumedRoleId", "AROAFAKE:" + session)
                .el("Arn", "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + session).close().toString();
    }
}
