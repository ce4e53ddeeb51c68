package dev.clothes.lambda.handler;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

import java.nio.charset.StandardCharsets;

/**
 * A Lambda {@link Context} with fixed values, so responses that carry the request id are reproducible.
 * aws-lambda-java-tests ships event loaders but no Context, hence this class. Values match infra/template.yaml
 * (1769 MB, 30 s timeout); the logger keeps what it is given instead of printing it.
 */
final class TestLambdaContext implements Context {

    static final String REQUEST_ID = "7d0c7a2e-5b9f-4c1e-9f3a-2b8d6e4f1a90";

    private final StringBuilder logged = new StringBuilder();
    private final LambdaLogger logger = new LambdaLogger() {
        @Override
        public void log(String message) {
            synchronized (logged) {
                logged.append(message);
            }
        }

        @Override
        public void log(byte[] message) {
            log(new String(message, StandardCharsets.UTF_8));
        }
    };

    /** What the handler wrote through {@link #getLogger()}. */
    String logged() {
        synchronized (logged) {
            return logged.toString();
        }
    }

    @Override
    public String getAwsRequestId() {
        return REQUEST_ID;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/clothes-classifier-ClassifierFunction";
    }

    @Override
    public String getLogStreamName() {
        return "2025/01/01/[1]0123456789abcdef0123456789abcdef";
    }

    @Override
    public String getFunctionName() {
        return "clothes-classifier-ClassifierFunction";
    }

    @Override
    public String getFunctionVersion() {
        return "1";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:eu-west-1:123456789012:function:clothes-classifier-ClassifierFunction:live";
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return 30_000;
    }

    @Override
    public int getMemoryLimitInMB() {
        return 1769;
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }
}
