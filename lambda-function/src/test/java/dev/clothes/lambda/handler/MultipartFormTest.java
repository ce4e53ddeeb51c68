package dev.clothes.lambda.handler;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultipartFormTest {

    private static final PredictRequest.Source REST = PredictRequest.Source.API_GATEWAY_REST;

    private static byte[] form(String boundary, String... parts) {
        StringBuilder body = new StringBuilder();
        for (String part : parts) {
            body.append("--").append(boundary).append("\r\n").append(part).append("\r\n");
        }
        return body.append("--").append(boundary).append("--\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void readsTheFileWithItsExactBytesAndTheTopKField() {
        byte[] body = form("xyz", "Content-Disposition: form-data; name=\"topK\"\r\n\r\n3",
                "Content-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n\r\n--x\u00ff\r\n");
        PredictRequest request = MultipartForm.parse("multipart/form-data; boundary=\"xyz\"", body).toRequest(REST);
        assertThat(request.image()).isEqualTo("\r\n--x\u00ff\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(request.topK()).isEqualTo(3);
        assertThat(request.url()).isNull();
    }

    @Test
    void aUrlFieldIsAUrlRequest() {
        byte[] body = form("b", "Content-Disposition: form-data; name=\"url\"\r\n\r\nhttps://example.com/a.jpg ");
        PredictRequest request = MultipartForm.parse("multipart/form-data;boundary=b", body).toRequest(REST);
        assertThat(request.url()).isEqualTo("https://example.com/a.jpg");
        assertThat(request.topK()).isEqualTo(EventParser.DEFAULT_TOP_K);
    }

    @Test
    void refusesWhatItCannotUse() {
        String type = "multipart/form-data; boundary=b";
        byte[] both = form("b", "Content-Disposition: form-data; name=\"url\"\r\n\r\nhttps://example.com/a.jpg",
                "Content-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n\r\nxx");
        assertThatThrownBy(() -> MultipartForm.parse(type, both).toRequest(REST)).isInstanceOf(RequestException.class)
                .hasMessageContaining("not both");
        byte[] truncated = "--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a\"\r\n\r\nxx"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> MultipartForm.parse(type, truncated)).isInstanceOf(RequestException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> MultipartForm.parse(type, "no delimiter".getBytes(StandardCharsets.ISO_8859_1)))
                .isInstanceOf(RequestException.class).hasMessageContaining("boundary");
        byte[] badTopK = form("b", "Content-Disposition: form-data; name=\"topK\"\r\n\r\nmany",
                "Content-Disposition: form-data; name=\"image\"; filename=\"a\"\r\n\r\nxx");
        assertThatThrownBy(() -> MultipartForm.parse(type, badTopK).toRequest(REST))
                .isInstanceOf(RequestException.class).hasMessageContaining("topK");
    }

    @Test
    void mimeBase64WithLineBreaksIsDecodedAndJunkIsNot() {
        assertThat(EventParser.decodeBase64("aGVs\r\nbG8g\nd29y\nbGQ=\n", "x")).isEqualTo("hello world".getBytes());
        assertThat(EventParser.decodeBase64("  data:image/jpeg;base64,aGVs\nbG8=", "x")).isEqualTo("hello".getBytes());
        assertThatThrownBy(() -> EventParser.decodeBase64("aGVs*bG8=", "\"image\""))
                .isInstanceOf(RequestException.class).hasMessage("\"image\" is not valid base64");
        assertThatThrownBy(() -> EventParser.decodeBase64("aGVsbG8=\u00e9", "\"image\""))
                .isInstanceOf(RequestException.class).hasMessage("\"image\" is not valid base64");
    }
}
