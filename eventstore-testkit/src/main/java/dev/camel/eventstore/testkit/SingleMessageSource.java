package dev.camel.eventstore.testkit;

import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadResp;

/** A read answered by one message, e.g. stream-not-found. */
final class SingleMessageSource implements ResponsePump.Source {
    private ReadResp message;

    SingleMessageSource(ReadResp message) {
        this.message = message;
    }

    @Override
    public Object next() {
        ReadResp next = message;
        message = null;
        return next;
    }

    @Override
    public boolean finished() {
        return message == null;
    }
}
