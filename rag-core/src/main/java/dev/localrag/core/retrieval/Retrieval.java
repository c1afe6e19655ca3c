package dev.localrag.core.retrieval;

import dev.localrag.core.index.SearchHit;
import java.util.List;

/**
 * Retrieved chunks and how relevant the best one is.
 *
 * @param hits the chunks, best first
 * @param bestSimilarity cosine similarity of the nearest chunk to the query, or NaN in keyword mode
 * @param millis time spent embedding the query and searching
 */
public record Retrieval(List<SearchHit> hits, double bestSimilarity, long millis) {}
