package dev.clothes.batch.output;

import dev.clothes.inference.bundle.ModelBundle;

import java.io.Serializable;

/** Which bundle scored a row: its name, version and {@link ModelBundle#sha256()}. */
public record ModelIdentity(String name, String version, String bundleSha256) implements Serializable {

    public static ModelIdentity of(ModelBundle bundle) {
        return new ModelIdentity(bundle.manifest().name(), bundle.manifest().version(), bundle.sha256());
    }
}
