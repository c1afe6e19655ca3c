package dev.localrag.cli;

import dev.localrag.core.index.SearchMode;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses --mode, naming the allowed values on error. */
final class SearchModeConverter implements ITypeConverter<SearchMode> {

    @Override
    public SearchMode convert(String value) {
        try {
            return SearchMode.parse(value);
        } catch (RuntimeException e) {
            throw new TypeConversionException("'" + value + "' is not a search mode; use vector, keyword or hybrid");
        }
    }
}
